-- Customer groups: how the merchant segments its buyers' companies (Magento's customer groups;
-- a company belongs to one, and price lists and shared catalogs are given to groups).
CREATE TABLE customer_groups (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    id         TEXT NOT NULL,
    name       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX customer_groups_name ON customer_groups (tenant_id, name);
