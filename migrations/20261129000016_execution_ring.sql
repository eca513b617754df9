-- A plugin's execution history becomes a ring: the newest 1,000 calls of each tenant's plugin
-- (EXECUTIONS_KEPT) sit in slots 0 to 999, and call number n of the plugin is written to slot
-- n mod 1,000 over the one it replaces. Appending every call and deleting all but the newest
-- 1,000 wrote each record twice (its insert, its delete, and two index entries) and left the
-- deleted rows for vacuum; a ring slot is rewritten in place, and its key never changes.
-- The count of calls recorded per plugin numbers them.

CREATE TABLE plugin_execution_counts (
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    plugin_id TEXT NOT NULL,
    -- Calls recorded since the plugin's first call; the next one is number `recorded`.
    recorded  BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, plugin_id)
);

CREATE TABLE plugin_executions_ring (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    plugin_id   TEXT NOT NULL,
    -- seq mod 1,000.
    slot        BIGINT NOT NULL,
    -- The call's number within the plugin's history, from 0.
    seq         BIGINT NOT NULL,
    id          TEXT NOT NULL,
    version     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    started_at  BIGINT NOT NULL,
    duration_us BIGINT NOT NULL,
    fuel        BIGINT NOT NULL,
    outcome     TEXT NOT NULL,
    error       TEXT,
    logs        TEXT NOT NULL,
    input       TEXT,
    config      TEXT,
    PRIMARY KEY (tenant_id, plugin_id, slot)
);

INSERT INTO plugin_executions_ring (tenant_id, plugin_id, slot, seq, id, version, kind, started_at, duration_us, fuel, outcome,
        error, logs, input, config)
    SELECT tenant_id, plugin_id, (n - 1) % 1000, n - 1, id, version, kind, started_at, duration_us, fuel, outcome, error, logs,
        input, config
    FROM (
        SELECT e.*, row_number() OVER (PARTITION BY tenant_id, plugin_id ORDER BY started_at, id) AS n,
            count(*) OVER (PARTITION BY tenant_id, plugin_id) AS total
        FROM plugin_executions e
    ) numbered
    WHERE n > total - 1000;

INSERT INTO plugin_execution_counts (tenant_id, plugin_id, recorded)
    SELECT tenant_id, plugin_id, count(*) FROM plugin_executions GROUP BY tenant_id, plugin_id;

DROP TABLE plugin_executions;
ALTER TABLE plugin_executions_ring RENAME TO plugin_executions;
