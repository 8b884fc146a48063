DROP FUNCTION IF EXISTS resolve_tenant_version_by_domain(TEXT);
DROP TABLE IF EXISTS tenant_domains;
DROP TABLE IF EXISTS website_images;
DROP TABLE IF EXISTS tenant_websites;
