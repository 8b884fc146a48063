DROP FUNCTION IF EXISTS resolve_tenant_version_by_phone(TEXT);
