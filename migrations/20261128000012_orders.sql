-- Checkout and orders: stock settings and the reservation ledger, company credit and its
-- ledger, tax rates, orders with their lines and status history, shipments, and invoices for
-- orders on credit terms. Money is BIGINT in 1/10,000 of the currency unit.

-- What segments see of a company's order history: orders placed and not canceled, and the sum of
-- their grand totals; kept in each order's transaction.
ALTER TABLE companies ADD COLUMN order_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE companies ADD COLUMN order_total BIGINT NOT NULL DEFAULT 0;

-- `reserved` is the sum of the SKU's reservations, written in the same transaction as each
-- reservation, so the salable quantity (quantity + reserved - min_qty) is one row read under
-- the row's lock. `hanse inventory check` proves it equals the ledger.
ALTER TABLE stock_items ADD COLUMN reserved BIGINT NOT NULL DEFAULT 0;
-- Out-of-stock threshold (Magento's min_qty); negative only with backorders.
ALTER TABLE stock_items ADD COLUMN min_qty BIGINT NOT NULL DEFAULT 0;
ALTER TABLE stock_items ADD COLUMN backorders TEXT NOT NULL DEFAULT 'no';
-- Low-stock level: a `stock.low` event when the salable quantity falls to it.
ALTER TABLE stock_items ADD COLUMN notify_qty BIGINT;

-- Append-only: placing an order writes -qty; a cancel or shipment writes the compensation.
CREATE TABLE stock_reservations (
    tenant_id  TEXT NOT NULL,
    id         TEXT NOT NULL,
    sku        TEXT NOT NULL,
    quantity   BIGINT NOT NULL,
    reason     TEXT NOT NULL,
    order_id   TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX stock_reservations_sku ON stock_reservations (tenant_id, sku);
CREATE INDEX stock_reservations_order ON stock_reservations (tenant_id, order_id);

-- "Tell me when it is back": one row per address and SKU until it is sent.
CREATE TABLE stock_alerts (
    tenant_id  TEXT NOT NULL,
    sku        TEXT NOT NULL,
    email      TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, sku, email)
);

-- A company's credit line; available = credit_limit + balance.
CREATE TABLE company_credits (
    tenant_id    TEXT NOT NULL,
    company_id   TEXT NOT NULL,
    currency     TEXT NOT NULL,
    credit_limit BIGINT NOT NULL CHECK (credit_limit >= 0),
    balance      BIGINT NOT NULL,
    allow_exceed BIGINT NOT NULL DEFAULT 0,
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, company_id),
    FOREIGN KEY (tenant_id, company_id) REFERENCES companies (tenant_id, id)
);

-- Append-only history of every credit change, Magento's operation types.
CREATE TABLE credit_history (
    tenant_id    TEXT NOT NULL,
    id           TEXT NOT NULL,
    company_id   TEXT NOT NULL,
    operation    TEXT NOT NULL,
    amount       BIGINT NOT NULL,
    balance      BIGINT NOT NULL,
    credit_limit BIGINT NOT NULL,
    available    BIGINT NOT NULL,
    allow_exceed BIGINT NOT NULL,
    actor        TEXT NOT NULL,
    order_id     TEXT,
    reference    TEXT NOT NULL,
    comment      TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX credit_history_company ON credit_history (tenant_id, company_id, id);

-- Tax rates in 1/10,000 percent; region '' is the whole country.
CREATE TABLE tax_rates (
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    country   TEXT NOT NULL,
    region    TEXT NOT NULL,
    percent   BIGINT NOT NULL CHECK (percent >= 0 AND percent <= 1000000),
    shipping  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, country, region)
);

CREATE TABLE orders (
    tenant_id         TEXT NOT NULL REFERENCES tenants (id),
    id                TEXT NOT NULL,
    company_id        TEXT NOT NULL,
    buyer_id          TEXT NOT NULL,
    status            TEXT NOT NULL,
    currency          TEXT NOT NULL,
    subtotal          BIGINT NOT NULL CHECK (subtotal >= 0),
    shipping          BIGINT NOT NULL CHECK (shipping >= 0),
    tax               BIGINT NOT NULL CHECK (tax >= 0),
    grand_total       BIGINT NOT NULL CHECK (grand_total >= 0),
    shipping_method   TEXT NOT NULL,
    shipping_label    TEXT NOT NULL,
    -- JSON: name, street, city, region, postcode, country, phone.
    shipping_address  TEXT NOT NULL,
    payment_method    TEXT NOT NULL,
    payment_label     TEXT NOT NULL,
    payment_status    TEXT NOT NULL,
    payment_reference TEXT NOT NULL,
    po_number         TEXT NOT NULL,
    -- JSON: the plugins (id, version) that priced, shipped and took payment for the order.
    plugins           TEXT NOT NULL,
    idempotency_key   TEXT,
    -- SHA-256 of the request that carried the key: the same key with another request is refused.
    request_hash      TEXT,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX orders_idempotency ON orders (tenant_id, buyer_id, idempotency_key);
CREATE INDEX orders_company ON orders (tenant_id, company_id, created_at);
CREATE INDEX orders_status ON orders (tenant_id, status, created_at);

CREATE TABLE order_lines (
    tenant_id   TEXT NOT NULL,
    order_id    TEXT NOT NULL,
    position    BIGINT NOT NULL,
    sku         TEXT NOT NULL,
    name        TEXT NOT NULL,
    quantity    BIGINT NOT NULL CHECK (quantity > 0),
    list_price  BIGINT NOT NULL,
    unit_price  BIGINT NOT NULL CHECK (unit_price >= 0),
    line_total  BIGINT NOT NULL CHECK (line_total >= 0),
    backordered BIGINT NOT NULL DEFAULT 0,
    -- JSON: the steps that set the unit price (list, price list, plugins with versions).
    explanation TEXT NOT NULL,
    qty_shipped BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, order_id, position),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);

CREATE TABLE order_history (
    tenant_id  TEXT NOT NULL,
    id         TEXT NOT NULL,
    order_id   TEXT NOT NULL,
    status     TEXT NOT NULL,
    actor      TEXT NOT NULL,
    comment    TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
CREATE INDEX order_history_order ON order_history (tenant_id, order_id, id);

CREATE TABLE shipments (
    tenant_id  TEXT NOT NULL,
    id         TEXT NOT NULL,
    order_id   TEXT NOT NULL,
    carrier    TEXT NOT NULL,
    tracking   TEXT NOT NULL,
    -- JSON: [{"sku": ..., "quantity": ...}].
    lines      TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
CREATE INDEX shipments_order ON shipments (tenant_id, order_id, id);

-- Orders paid on credit terms: what is due, and when.
CREATE TABLE invoices (
    tenant_id  TEXT NOT NULL,
    id         TEXT NOT NULL,
    order_id   TEXT NOT NULL,
    company_id TEXT NOT NULL,
    amount     BIGINT NOT NULL,
    currency   TEXT NOT NULL,
    due_at     BIGINT NOT NULL,
    status     TEXT NOT NULL,
    paid_at    BIGINT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
CREATE INDEX invoices_due ON invoices (tenant_id, status, due_at);
CREATE INDEX invoices_company ON invoices (tenant_id, company_id, due_at);
