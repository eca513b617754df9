-- Plugins: the registry (platform packages and tenants' private ones), installs per tenant,
-- and the record of every call.

-- Bumped on every change to a tenant's installed plugins, so each replica can tell from the
-- tenant row it reads anyway whether its cached plugin set is still current.
ALTER TABLE tenants ADD COLUMN plugin_revision BIGINT NOT NULL DEFAULT 0;

CREATE TABLE plugin_packages (
    -- '' for the platform registry; a tenant id for a tenant's private package.
    scope       TEXT NOT NULL,
    id          TEXT NOT NULL,
    version     TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('pricing', 'approval', 'shipping', 'payment')),
    wit         TEXT NOT NULL,
    description TEXT NOT NULL,
    -- The manifest as uploaded (JSON), including its config schema.
    manifest    TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    size        BIGINT NOT NULL,
    -- The component. BYTEA is PostgreSQL's binary type; SQLite keeps the value as a blob.
    component   BYTEA NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (scope, id, version)
);
CREATE INDEX plugin_packages_id ON plugin_packages (id, scope);

CREATE TABLE plugin_installs (
    tenant_id        TEXT NOT NULL REFERENCES tenants (id),
    plugin_id        TEXT NOT NULL,
    kind             TEXT NOT NULL,
    -- The package scope the install uses ('' platform, or the tenant's own id).
    scope            TEXT NOT NULL,
    version          TEXT NOT NULL,
    config           TEXT NOT NULL,
    -- What `rollback` returns to.
    previous_version TEXT,
    previous_config  TEXT,
    status           TEXT NOT NULL CHECK (status IN ('enabled', 'disabled')),
    position         BIGINT NOT NULL,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, plugin_id)
);

CREATE TABLE plugin_executions (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    id          TEXT NOT NULL,
    plugin_id   TEXT NOT NULL,
    version     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    started_at  BIGINT NOT NULL,
    duration_us BIGINT NOT NULL,
    fuel        BIGINT NOT NULL,
    -- 'ok', or the error code (plugin_trap, plugin_out_of_fuel, ...).
    outcome     TEXT NOT NULL,
    error       TEXT,
    -- JSON array of {level, message}.
    logs        TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX plugin_executions_recent ON plugin_executions (tenant_id, plugin_id, started_at);
