-- Whether a tenant's AI receptionist calls are recorded: both legs in one
-- stereo Ogg Opus file (caller left, AI right). Off unless the tenant opts in.
ALTER TABLE tenant_phone_config
    ADD COLUMN record_calls BOOLEAN NOT NULL DEFAULT false;

-- Where a call's recording was written (a file under
-- SERVICEPRO_RECORDINGS_DIR) and how long it is, once the file is complete.
ALTER TABLE calls
    ADD COLUMN recording_path TEXT,
    ADD COLUMN recording_duration_ms INTEGER CHECK (recording_duration_ms >= 0);
