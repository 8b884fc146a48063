-- Retention (issue 18, item 6). When a tenant entered its status, kept by a
-- trigger whatever path changes it (root action, billing, trial scheduler, SQL);
-- the retention window runs from there. Existing rows start from `updated_at`,
-- which is never earlier than their last status change (the safe side).
ALTER TABLE tenants ADD COLUMN status_changed_at TIMESTAMPTZ;
UPDATE tenants SET status_changed_at = updated_at;
ALTER TABLE tenants ALTER COLUMN status_changed_at SET NOT NULL,
                    ALTER COLUMN status_changed_at SET DEFAULT now();

-- The tombstone of a purged tenant: the `tenants` row stays (its id can never be
-- taken again) with when it was purged; every other row of it is gone.
ALTER TABLE tenants ADD COLUMN purged_at TIMESTAMPTZ;

CREATE FUNCTION servicepro_tenant_status_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.purged_at IS NOT NULL AND NEW.status IS DISTINCT FROM OLD.status THEN
        RAISE EXCEPTION 'tenant % was purged; its status cannot change', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'tenants_purged_final';
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status THEN
        NEW.status_changed_at := now();
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER tenant_status_changed BEFORE UPDATE ON tenants
    FOR EACH ROW EXECUTE FUNCTION servicepro_tenant_status_changed();
