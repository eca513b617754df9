-- Buyer sessions: opaque bearer tokens, stored hashed. A session acts in one of the buyer's
-- companies (the one selected at login or switched to later).
CREATE TABLE buyer_sessions (
    token_hash TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    buyer_id   TEXT NOT NULL,
    company_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT,
    FOREIGN KEY (tenant_id, buyer_id) REFERENCES buyers (tenant_id, id),
    FOREIGN KEY (tenant_id, company_id) REFERENCES companies (tenant_id, id)
);
CREATE INDEX buyer_sessions_buyer ON buyer_sessions (tenant_id, buyer_id);
