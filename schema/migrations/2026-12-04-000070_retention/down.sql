DROP TRIGGER tenant_status_changed ON tenants;
DROP FUNCTION servicepro_tenant_status_changed();
ALTER TABLE tenants DROP COLUMN purged_at;
ALTER TABLE tenants DROP COLUMN status_changed_at;
