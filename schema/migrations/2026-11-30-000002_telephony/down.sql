DROP TABLE IF EXISTS usage_events;
DROP TABLE IF EXISTS messages;
DROP TABLE IF EXISTS conversations;
DROP TABLE IF EXISTS voicemails;
DROP TABLE IF EXISTS calls;
ALTER TABLE tenant_config DROP COLUMN IF EXISTS suspended_call_behavior;
DROP FUNCTION IF EXISTS servicepro_enable_tenant_rls(regclass);
DROP FUNCTION IF EXISTS call_status_rank(TEXT);
