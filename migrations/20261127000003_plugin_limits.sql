-- Per-tenant plugin limits (JSON: fuel, memory_bytes, deadline_ms, max_input_bytes,
-- max_output_bytes), set by the operator per plan; NULL means the defaults.
ALTER TABLE tenants ADD COLUMN plugin_limits TEXT;
