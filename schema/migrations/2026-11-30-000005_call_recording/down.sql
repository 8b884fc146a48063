ALTER TABLE calls DROP COLUMN IF EXISTS recording_duration_ms;
ALTER TABLE calls DROP COLUMN IF EXISTS recording_path;
ALTER TABLE tenant_phone_config DROP COLUMN IF EXISTS record_calls;
