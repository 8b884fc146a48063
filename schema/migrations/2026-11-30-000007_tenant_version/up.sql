-- Which tenant owns a number, and the version of what the engine caches about it: the
-- row versions (xmin) of its tenant row, its phone configuration rows and its settings
-- row. Any UPDATE of those rows (through the API or by hand) changes the version, so a
-- cached tenant context is reused only while it is exactly what the database holds.
-- PL/pgSQL so its statements' plans are cached per connection (a SQL-language
-- SECURITY DEFINER function is planned on every call).
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
