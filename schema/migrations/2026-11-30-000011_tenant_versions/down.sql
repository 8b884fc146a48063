DROP FUNCTION IF EXISTS resolve_tenant_version(TEXT);
DROP FUNCTION IF EXISTS resolve_tenant_version_by_phone(TEXT);
DO $$
DECLARE
    t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['tenants', 'tenant_phone_config', 'tenant_config', 'services',
                             'kb_entries', 'sms_templates']
    LOOP
        EXECUTE format('DROP TRIGGER IF EXISTS tenant_version ON %I', t);
    END LOOP;
END $$;
DROP FUNCTION IF EXISTS servicepro_touch_tenant_version();
DROP TABLE IF EXISTS tenant_versions;
DROP SEQUENCE IF EXISTS tenant_version_seq;
CREATE FUNCTION resolve_tenant_version_by_phone(p_number TEXT)
    RETURNS TABLE (tenant_id TEXT, version TEXT)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public
    AS $$
DECLARE
    owner TEXT;
BEGIN
    SELECT p.tenant_id INTO owner FROM tenant_phone_config p WHERE p.phone_number = p_number LIMIT 1;
    IF owner IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY SELECT owner,
        concat_ws(':',
            (SELECT t.xmin::text FROM tenants t WHERE t.id = owner),
            (SELECT string_agg(q.id::text || '/' || q.xmin::text, ',' ORDER BY q.id)
               FROM tenant_phone_config q WHERE q.tenant_id = owner),
            coalesce((SELECT c.xmin::text FROM tenant_config c WHERE c.tenant_id = owner), '-'));
END
$$;
ALTER FUNCTION resolve_tenant_version_by_phone(TEXT) OWNER TO servicepro_root;
REVOKE ALL ON FUNCTION resolve_tenant_version_by_phone(TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION resolve_tenant_version_by_phone(TEXT) TO servicepro_app;
