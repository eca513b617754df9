-- Contract pricing and ordering in bulk: shared catalogs (what a company may see and buy),
-- price lists (what it pays), customer segments, carts and requisition lists; and the sale
-- quantity rules of a product. Prices resolve at request time from these tables: nothing is
-- indexed per company or group.

-- Sale quantity rules per product (Magento's min/max cart quantity and quantity increments).
ALTER TABLE products ADD COLUMN min_sale_qty BIGINT NOT NULL DEFAULT 1;
ALTER TABLE products ADD COLUMN max_sale_qty BIGINT;
ALTER TABLE products ADD COLUMN qty_increment BIGINT NOT NULL DEFAULT 1;

-- One `public` catalog per tenant (id `public`: guests and companies without a custom catalog
-- see it) and any number of `custom` ones.
CREATE TABLE shared_catalogs (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    id          TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('public', 'custom')),
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX shared_catalogs_name ON shared_catalogs (tenant_id, name);

-- Products a catalog shows. `purchasable` 0 shows a product without letting it be bought
-- (Magento's category permission "browse" without "add to cart").
CREATE TABLE shared_catalog_products (
    tenant_id   TEXT NOT NULL,
    catalog_id  TEXT NOT NULL,
    sku         TEXT NOT NULL,
    purchasable BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, catalog_id, sku),
    FOREIGN KEY (tenant_id, catalog_id) REFERENCES shared_catalogs (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, sku) REFERENCES products (tenant_id, sku) ON DELETE CASCADE
);
CREATE INDEX shared_catalog_products_sku ON shared_catalog_products (tenant_id, sku);

-- Categories a catalog shows: every product in the category or below it, now and later.
CREATE TABLE shared_catalog_categories (
    tenant_id   TEXT NOT NULL,
    catalog_id  TEXT NOT NULL,
    category_id TEXT NOT NULL,
    PRIMARY KEY (tenant_id, catalog_id, category_id),
    FOREIGN KEY (tenant_id, catalog_id) REFERENCES shared_catalogs (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, category_id) REFERENCES categories (tenant_id, id) ON DELETE CASCADE
);

-- A company sees one custom catalog, or the public one when it has no row here.
CREATE TABLE shared_catalog_companies (
    tenant_id  TEXT NOT NULL,
    company_id TEXT NOT NULL,
    catalog_id TEXT NOT NULL,
    PRIMARY KEY (tenant_id, company_id),
    FOREIGN KEY (tenant_id, catalog_id) REFERENCES shared_catalogs (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, company_id) REFERENCES companies (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX shared_catalog_companies_catalog ON shared_catalog_companies (tenant_id, catalog_id);

-- Every existing tenant gets its public catalog, showing every product it has.
INSERT INTO shared_catalogs (tenant_id, id, name, description, kind, created_at, updated_at)
    SELECT id, 'public', 'Public catalog', '', 'public', created_at, created_at FROM tenants;
INSERT INTO shared_catalog_products (tenant_id, catalog_id, sku, purchasable)
    SELECT tenant_id, 'public', sku, 1 FROM products;

-- Customer segments: companies matching a rule (JSON), kept materialized in segment_companies
-- and recomputed whenever a segment or a company changes.
CREATE TABLE segments (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    id          TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    rule        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX segments_name ON segments (tenant_id, name);

CREATE TABLE segment_companies (
    tenant_id  TEXT NOT NULL,
    segment_id TEXT NOT NULL,
    company_id TEXT NOT NULL,
    PRIMARY KEY (tenant_id, segment_id, company_id),
    FOREIGN KEY (tenant_id, segment_id) REFERENCES segments (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, company_id) REFERENCES companies (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX segment_companies_company ON segment_companies (tenant_id, company_id);

-- Price lists: entries per SKU, applied to whoever a target names.
CREATE TABLE price_lists (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    id          TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    priority    BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX price_lists_name ON price_lists (tenant_id, name);

-- One row per SKU and quantity break. Exactly one of `price` (1/10,000 units) and
-- `percent_off` (1/10,000 percent) is set. Validity is [valid_from, valid_to) in milliseconds.
CREATE TABLE price_list_entries (
    tenant_id    TEXT NOT NULL,
    list_id      TEXT NOT NULL,
    sku          TEXT NOT NULL,
    min_quantity BIGINT NOT NULL CHECK (min_quantity >= 1),
    price        BIGINT CHECK (price >= 0),
    percent_off  BIGINT CHECK (percent_off > 0 AND percent_off <= 1000000),
    valid_from   BIGINT,
    valid_to     BIGINT,
    PRIMARY KEY (tenant_id, list_id, sku, min_quantity),
    CHECK ((price IS NULL) <> (percent_off IS NULL)),
    FOREIGN KEY (tenant_id, list_id) REFERENCES price_lists (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, sku) REFERENCES products (tenant_id, sku) ON DELETE CASCADE
);
CREATE INDEX price_list_entries_sku ON price_list_entries (tenant_id, sku, list_id);

-- Whom a list applies to: kind is shared_catalog, customer_group, segment or company.
CREATE TABLE price_list_targets (
    tenant_id TEXT NOT NULL,
    list_id   TEXT NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('shared_catalog', 'customer_group', 'segment', 'company')),
    target_id TEXT NOT NULL,
    PRIMARY KEY (tenant_id, list_id, kind, target_id),
    FOREIGN KEY (tenant_id, list_id) REFERENCES price_lists (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX price_list_targets_target ON price_list_targets (tenant_id, kind, target_id);

-- The cart: one per buyer per company, lines in the order they were first added.
CREATE TABLE cart_items (
    tenant_id  TEXT NOT NULL,
    buyer_id   TEXT NOT NULL,
    company_id TEXT NOT NULL,
    sku        TEXT NOT NULL,
    quantity   BIGINT NOT NULL CHECK (quantity >= 1),
    added_at   BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, buyer_id, company_id, sku),
    FOREIGN KEY (tenant_id, buyer_id) REFERENCES buyers (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, company_id) REFERENCES companies (tenant_id, id) ON DELETE CASCADE
);

-- Requisition lists: named, owned by a buyer in a company, private or shared with the company.
CREATE TABLE requisition_lists (
    tenant_id   TEXT NOT NULL,
    id          TEXT NOT NULL,
    company_id  TEXT NOT NULL,
    owner_id    TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    shared      BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, company_id) REFERENCES companies (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, owner_id) REFERENCES buyers (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX requisition_lists_company ON requisition_lists (tenant_id, company_id, owner_id);

CREATE TABLE requisition_list_items (
    tenant_id  TEXT NOT NULL,
    list_id    TEXT NOT NULL,
    sku        TEXT NOT NULL,
    quantity   BIGINT NOT NULL CHECK (quantity >= 1),
    added_at   BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, list_id, sku),
    FOREIGN KEY (tenant_id, list_id) REFERENCES requisition_lists (tenant_id, id) ON DELETE CASCADE
);
