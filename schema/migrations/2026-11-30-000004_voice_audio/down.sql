ALTER TABLE tenant_phone_config DROP COLUMN IF EXISTS voice_audio;
