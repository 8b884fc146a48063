-- One version per tenant for everything the engine caches about it (its TenantActor's
-- context and brain snapshot): the tenant row, its phone configuration, its settings,
-- its services, its knowledge base and its SMS templates. Every INSERT, UPDATE or DELETE
-- of those rows — through the API, the actor or by hand in SQL — moves the version
-- forward in the same transaction (a row trigger), so a cache is reused only while its
-- version is the one the database holds now. Values come from one sequence, so a
-- tenant's versions only grow and a version is never reused, not even by a tenant
-- deleted and created again. (TRUNCATE fires no row trigger.)
CREATE SEQUENCE tenant_version_seq;

CREATE TABLE tenant_versions (
    tenant_id TEXT PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
    version BIGINT NOT NULL
);

-- Row level security as on every tenant-owned table. The engine only reads its
-- version (with the context); the trigger below writes it.
SELECT servicepro_enable_tenant_rls('tenant_versions');
GRANT USAGE ON SEQUENCE tenant_version_seq TO servicepro_root;

INSERT INTO tenant_versions (tenant_id, version)
SELECT id, nextval('tenant_version_seq') FROM tenants;

-- The row trigger: a new tenant gets its first version, any other change moves its
-- tenant's version forward. SECURITY DEFINER (owned by the root role) so it works
-- the same whoever writes (a tenant connection, the root path, or by hand).
CREATE FUNCTION servicepro_touch_tenant_version() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public
    AS $$
DECLARE
    owner TEXT;
BEGIN
    IF TG_TABLE_NAME = 'tenants' THEN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO tenant_versions (tenant_id, version)
            VALUES (NEW.id, nextval('tenant_version_seq'));
            RETURN NULL;
        END IF;
        owner := NEW.id;
    ELSIF TG_OP = 'DELETE' THEN
        owner := OLD.tenant_id;
    ELSE
        owner := NEW.tenant_id;
    END IF;
    UPDATE tenant_versions SET version = nextval('tenant_version_seq') WHERE tenant_id = owner;
    RETURN NULL;
END
$$;
ALTER FUNCTION servicepro_touch_tenant_version() OWNER TO servicepro_root;
REVOKE ALL ON FUNCTION servicepro_touch_tenant_version() FROM PUBLIC;

CREATE TRIGGER tenant_version AFTER INSERT OR UPDATE ON tenants
    FOR EACH ROW EXECUTE FUNCTION servicepro_touch_tenant_version();
DO $$
DECLARE
    t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['tenant_phone_config', 'tenant_config', 'services', 'kb_entries',
                             'sms_templates']
    LOOP
        EXECUTE format('CREATE TRIGGER tenant_version AFTER INSERT OR UPDATE OR DELETE ON %I '
                       'FOR EACH ROW EXECUTE FUNCTION servicepro_touch_tenant_version()', t);
    END LOOP;
END $$;

-- Which tenant owns a number, and its version: the webhooks' one round trip.
DROP FUNCTION resolve_tenant_version_by_phone(TEXT);
CREATE FUNCTION resolve_tenant_version_by_phone(p_number TEXT)
    RETURNS TABLE (tenant_id TEXT, version BIGINT)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public
    AS $$
BEGIN
    RETURN QUERY SELECT p.tenant_id, v.version
        FROM tenant_phone_config p JOIN tenant_versions v ON v.tenant_id = p.tenant_id
        WHERE p.phone_number = p_number LIMIT 1;
END
$$;
ALTER FUNCTION resolve_tenant_version_by_phone(TEXT) OWNER TO servicepro_root;
REVOKE ALL ON FUNCTION resolve_tenant_version_by_phone(TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION resolve_tenant_version_by_phone(TEXT) TO servicepro_app;

-- A known tenant's version (callbacks, chat, conversations): one round trip, no
-- transaction. NULL when the tenant does not exist.
CREATE FUNCTION resolve_tenant_version(p_tenant TEXT) RETURNS BIGINT
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public
    AS $$
BEGIN
    RETURN (SELECT v.version FROM tenant_versions v WHERE v.tenant_id = p_tenant);
END
$$;
ALTER FUNCTION resolve_tenant_version(TEXT) OWNER TO servicepro_root;
REVOKE ALL ON FUNCTION resolve_tenant_version(TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION resolve_tenant_version(TEXT) TO servicepro_app;
