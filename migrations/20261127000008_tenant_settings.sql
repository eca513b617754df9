-- A tenant's own settings (the merchant's switches), by key; values are JSON.
CREATE TABLE tenant_settings (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    key        TEXT NOT NULL,
    value      TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, key)
);
