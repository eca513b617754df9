-- B2B companies, the people who buy for them, their roles and org chart, an audit log of
-- changes, and an outbox of notifications waiting to be delivered. Flags are BIGINT 0/1.

-- People who log in to a tenant's storefront; one per e-mail address and tenant. A person may
-- belong to several companies (company_members).
CREATE TABLE buyers (
    tenant_id     TEXT NOT NULL REFERENCES tenants (id),
    id            TEXT NOT NULL,
    email         TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    first_name    TEXT NOT NULL,
    last_name     TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX buyers_email ON buyers (tenant_id, email);

CREATE TABLE companies (
    tenant_id               TEXT NOT NULL REFERENCES tenants (id),
    id                      TEXT NOT NULL,
    name                    TEXT NOT NULL,
    legal_name              TEXT NOT NULL,
    email                   TEXT NOT NULL,
    vat_tax_id              TEXT NOT NULL,
    reseller_id             TEXT NOT NULL,
    phone                   TEXT NOT NULL,
    street                  TEXT NOT NULL,
    city                    TEXT NOT NULL,
    region                  TEXT NOT NULL,
    postcode                TEXT NOT NULL,
    country                 TEXT NOT NULL,
    -- The merchant's staff member who looks after the company (name or e-mail).
    sales_rep               TEXT NOT NULL,
    customer_group_id       TEXT,
    quotes_enabled          BIGINT NOT NULL,
    purchase_orders_enabled BIGINT NOT NULL,
    status                  TEXT NOT NULL CHECK (status IN ('pending', 'active', 'rejected', 'blocked')),
    reject_reason           TEXT,
    rejected_at             BIGINT,
    admin_buyer_id          TEXT NOT NULL,
    created_at              BIGINT NOT NULL,
    updated_at              BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_group_id) REFERENCES customer_groups (tenant_id, id),
    FOREIGN KEY (tenant_id, admin_buyer_id) REFERENCES buyers (tenant_id, id)
);
CREATE INDEX companies_status ON companies (tenant_id, status, id);

-- Roles of a company; `permissions` is the JSON array of allowed resource ids. The Company
-- Administrator role is virtual (every permission) and has no row.
CREATE TABLE company_roles (
    tenant_id   TEXT NOT NULL,
    company_id  TEXT NOT NULL,
    id          TEXT NOT NULL,
    name        TEXT NOT NULL,
    permissions TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, company_id) REFERENCES companies (tenant_id, id)
);
CREATE UNIQUE INDEX company_roles_name ON company_roles (tenant_id, company_id, name);

-- A buyer's place in a company: admin or a role, status, job title.
CREATE TABLE company_members (
    tenant_id  TEXT NOT NULL,
    company_id TEXT NOT NULL,
    buyer_id   TEXT NOT NULL,
    is_admin   BIGINT NOT NULL,
    role_id    TEXT,
    status     TEXT NOT NULL CHECK (status IN ('active', 'inactive')),
    job_title  TEXT NOT NULL,
    phone      TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, company_id, buyer_id),
    FOREIGN KEY (tenant_id, company_id) REFERENCES companies (tenant_id, id),
    FOREIGN KEY (tenant_id, buyer_id) REFERENCES buyers (tenant_id, id),
    FOREIGN KEY (tenant_id, role_id) REFERENCES company_roles (tenant_id, id)
);
CREATE INDEX company_members_buyer ON company_members (tenant_id, buyer_id);

-- The org chart: teams and members in one tree, rooted at the company admin. Materialized path
-- "/<root id>/.../<own id>/": subordinates are a prefix match, managers are ancestors.
CREATE TABLE company_structure (
    tenant_id   TEXT NOT NULL,
    company_id  TEXT NOT NULL,
    id          TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('member', 'team')),
    buyer_id    TEXT,
    team_name   TEXT,
    description TEXT,
    parent_id   TEXT,
    path        TEXT NOT NULL,
    position    BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, company_id) REFERENCES companies (tenant_id, id),
    FOREIGN KEY (tenant_id, parent_id) REFERENCES company_structure (tenant_id, id)
);
CREATE INDEX company_structure_path ON company_structure (tenant_id, company_id, path);
CREATE UNIQUE INDEX company_structure_member ON company_structure (tenant_id, company_id, buyer_id);

-- Who changed what in a company, readable by its admin and the merchant.
CREATE TABLE company_audit (
    tenant_id  TEXT NOT NULL,
    company_id TEXT NOT NULL,
    id         TEXT NOT NULL,
    at         BIGINT NOT NULL,
    -- 'merchant:<token label>' or 'buyer:<buyer id>' or 'system'.
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    -- JSON.
    detail     TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, company_id) REFERENCES companies (tenant_id, id)
);
CREATE INDEX company_audit_company ON company_audit (tenant_id, company_id, at);

-- Notifications written in the same transaction as the change they announce, delivered later.
CREATE TABLE outbox (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    id         TEXT NOT NULL,
    topic      TEXT NOT NULL,
    recipient  TEXT NOT NULL,
    -- JSON.
    payload    TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    sent_at    BIGINT,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX outbox_unsent ON outbox (sent_at, created_at);
