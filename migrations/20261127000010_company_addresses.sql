-- A company's address book: billing and shipping addresses, one default of each kind.
CREATE TABLE company_addresses (
    tenant_id  TEXT NOT NULL,
    company_id TEXT NOT NULL,
    id         TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('billing', 'shipping')),
    label      TEXT NOT NULL,
    recipient  TEXT NOT NULL,
    street     TEXT NOT NULL,
    city       TEXT NOT NULL,
    region     TEXT NOT NULL,
    postcode   TEXT NOT NULL,
    country    TEXT NOT NULL,
    phone      TEXT NOT NULL,
    is_default BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, company_id) REFERENCES companies (tenant_id, id)
);
CREATE INDEX company_addresses_company ON company_addresses (tenant_id, company_id, kind);
