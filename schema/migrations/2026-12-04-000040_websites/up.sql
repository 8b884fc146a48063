-- Tenant websites (issue 19): the chosen template and the owner's shallow edits,
-- the owner's uploaded images, and the custom domains a site is served on.

-- One row per tenant that chose a template or edited its site (no row: the default
-- template, no edits). `overrides` holds copy, colours and image ids; it is kept
-- when the template changes. A change moves the tenant's version (the trigger of
-- migration 0011), which is what invalidates the cached pages.
CREATE TABLE tenant_websites (
    tenant_id TEXT PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
    template TEXT NOT NULL,
    overrides JSONB NOT NULL DEFAULT '{}',
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
SELECT servicepro_enable_tenant_rls('tenant_websites');
CREATE TRIGGER tenant_version AFTER INSERT OR UPDATE OR DELETE ON tenant_websites
    FOR EACH ROW EXECUTE FUNCTION servicepro_touch_tenant_version();

-- Images an owner uploaded for their site, named by the SHA-256 of their bytes
-- (so a name never changes meaning and may be cached for good).
CREATE TABLE website_images (
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    sha256 TEXT NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    content_type TEXT NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/webp', 'image/gif')),
    bytes BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, sha256)
);
SELECT servicepro_enable_tenant_rls('website_images');

-- Custom domains: a site is served by `Host` only once its domain is verified.
-- A domain belongs to one tenant.
CREATE TABLE tenant_domains (
    domain TEXT PRIMARY KEY CHECK (domain = lower(domain) AND domain ~ '^[a-z0-9.-]+$'),
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    verified_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX tenant_domains_tenant ON tenant_domains (tenant_id);
SELECT servicepro_enable_tenant_rls('tenant_domains');

-- Which tenant a verified domain serves, and its version: one round trip before the
-- tenant is known (like resolve_tenant_version_by_phone).
CREATE FUNCTION resolve_tenant_version_by_domain(p_domain TEXT)
    RETURNS TABLE (tenant_id TEXT, version BIGINT)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public
    AS $$
BEGIN
    RETURN QUERY SELECT d.tenant_id, v.version
        FROM tenant_domains d JOIN tenant_versions v ON v.tenant_id = d.tenant_id
        WHERE d.domain = p_domain AND d.verified_at IS NOT NULL LIMIT 1;
END
$$;
ALTER FUNCTION resolve_tenant_version_by_domain(TEXT) OWNER TO servicepro_root;
REVOKE ALL ON FUNCTION resolve_tenant_version_by_domain(TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION resolve_tenant_version_by_domain(TEXT) TO servicepro_app;
