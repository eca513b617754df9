-- Which calls of an install keep their input for replay: 'off', 'failures' or 'all'.
ALTER TABLE plugin_installs ADD COLUMN capture TEXT NOT NULL DEFAULT 'off' CHECK (capture IN ('off', 'failures', 'all'));
-- The kept input (JSON in the shape `hanse plugin run --input` reads) and the configuration the
-- call ran with; NULL when the call's input was not kept.
ALTER TABLE plugin_executions ADD COLUMN input TEXT;
ALTER TABLE plugin_executions ADD COLUMN config TEXT;
