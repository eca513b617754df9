-- Refunds (Magento's credit memos): what each memo gave back, per order and per line. Money is
-- BIGINT in 1/10,000 of the currency unit.

-- Units refunded so far. A refund takes units not yet shipped first, so what is left to ship is
-- quantity - qty_shipped - qty_refunded (never below zero).
ALTER TABLE order_lines ADD COLUMN qty_refunded BIGINT NOT NULL DEFAULT 0;
-- What the order's memos gave back in all, and of its shipping: a memo never takes the first
-- beyond the grand total, nor the second beyond the shipping.
ALTER TABLE orders ADD COLUMN refunded BIGINT NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN shipping_refunded BIGINT NOT NULL DEFAULT 0;

CREATE TABLE credit_memos (
    tenant_id       TEXT NOT NULL,
    id              TEXT NOT NULL,
    order_id        TEXT NOT NULL,
    company_id      TEXT NOT NULL,
    currency        TEXT NOT NULL,
    -- The lines' share of their totals, their share of the order's tax, shipping, and the
    -- adjustment (positive: refunded on top; negative: a fee kept back).
    subtotal        BIGINT NOT NULL CHECK (subtotal >= 0),
    tax             BIGINT NOT NULL CHECK (tax >= 0),
    shipping        BIGINT NOT NULL CHECK (shipping >= 0),
    adjustment      BIGINT NOT NULL,
    total           BIGINT NOT NULL CHECK (total >= 0),
    -- Whether refunded units that had shipped went back to stock on hand.
    return_to_stock BIGINT NOT NULL,
    -- Where the money went: 'credit' (payment on account), 'invoice' (the open invoice was
    -- reduced by the total) or 'offline' (a paid invoice, a plugin's payment: settled outside).
    settlement      TEXT NOT NULL,
    invoice_id      TEXT,
    comment         TEXT NOT NULL,
    actor           TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
CREATE INDEX credit_memos_order ON credit_memos (tenant_id, order_id, id);

CREATE TABLE credit_memo_lines (
    tenant_id  TEXT NOT NULL,
    memo_id    TEXT NOT NULL,
    order_id   TEXT NOT NULL,
    -- The order line's position, to list the memo's lines in order.
    position   BIGINT NOT NULL,
    sku        TEXT NOT NULL,
    quantity   BIGINT NOT NULL CHECK (quantity > 0),
    amount     BIGINT NOT NULL CHECK (amount >= 0),
    -- Units that had not shipped: their reservation was compensated (reason order_refunded).
    unshipped  BIGINT NOT NULL CHECK (unshipped >= 0 AND unshipped <= quantity),
    -- Units that had shipped and went back to stock on hand.
    restocked  BIGINT NOT NULL CHECK (restocked >= 0 AND restocked <= quantity - unshipped),
    PRIMARY KEY (tenant_id, memo_id, sku),
    FOREIGN KEY (tenant_id, memo_id) REFERENCES credit_memos (tenant_id, id)
);
CREATE INDEX credit_memo_lines_order ON credit_memo_lines (tenant_id, order_id, memo_id);
