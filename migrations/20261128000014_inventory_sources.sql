-- Sources (Magento MSI's): the warehouses a tenant holds stock in, what each holds of a SKU,
-- and what each shipment took from where.

-- `enabled` is 0 or 1: a disabled source's units are not salable and shipments never take
-- them. Lower `priority` is taken from first (ties by code). Every tenant has `default`, which
-- can be neither disabled nor deleted.
CREATE TABLE inventory_sources (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    code       TEXT NOT NULL,
    name       TEXT NOT NULL,
    enabled    BIGINT NOT NULL CHECK (enabled IN (0, 1)),
    priority   BIGINT NOT NULL,
    country    TEXT NOT NULL,
    region     TEXT NOT NULL,
    postcode   TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, code)
);

-- stock_items.quantity is the sum of the SKU's rows here over enabled sources, written in the
-- same transaction as every change to a row or to a source's `enabled`; `hanse inventory
-- check` proves it. Every writer locks the SKU's stock_items row before its rows here.
CREATE TABLE source_items (
    tenant_id   TEXT NOT NULL,
    source_code TEXT NOT NULL,
    sku         TEXT NOT NULL,
    quantity    BIGINT NOT NULL CHECK (quantity >= 0),
    PRIMARY KEY (tenant_id, source_code, sku),
    FOREIGN KEY (tenant_id, source_code) REFERENCES inventory_sources (tenant_id, code),
    FOREIGN KEY (tenant_id, sku) REFERENCES products (tenant_id, sku) ON DELETE CASCADE
);
CREATE INDEX source_items_sku ON source_items (tenant_id, sku);

-- Units of a SKU a shipment took from a source; `position` is the order they were taken in
-- (priority order), so a refund returning shipped units to stock finds the source the order's
-- shipments took the SKU from first. Codes stay as written when a source is deleted later.
CREATE TABLE shipment_sources (
    tenant_id   TEXT NOT NULL,
    shipment_id TEXT NOT NULL,
    order_id    TEXT NOT NULL,
    sku         TEXT NOT NULL,
    source_code TEXT NOT NULL,
    position    BIGINT NOT NULL,
    quantity    BIGINT NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (tenant_id, shipment_id, sku, source_code),
    FOREIGN KEY (tenant_id, shipment_id) REFERENCES shipments (tenant_id, id)
);
CREATE INDEX shipment_sources_order ON shipment_sources (tenant_id, order_id, shipment_id);

-- Every existing tenant gets its default source, holding the stock it had.
INSERT INTO inventory_sources (tenant_id, code, name, enabled, priority, country, region, postcode, created_at, updated_at)
    SELECT id, 'default', 'Default source', 1, 0, '', '', '', created_at, created_at FROM tenants;
INSERT INTO source_items (tenant_id, source_code, sku, quantity)
    SELECT tenant_id, 'default', sku, quantity FROM stock_items;
