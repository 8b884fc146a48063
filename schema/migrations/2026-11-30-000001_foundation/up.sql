-- Foundation: tenants, their configuration, customers, services, templates,
-- API keys and the root audit log, with row level security on every
-- tenant-owned table.

-- Roles. The server's pooled connections `SET ROLE servicepro_app` (subject to
-- the tenant policies); the explicit, audited cross-tenant path switches to
-- `servicepro_root` inside one transaction. Neither can bypass RLS. Roles are
-- cluster-wide, so creation tolerates a concurrent creator in another database.
DO $$
BEGIN
    CREATE ROLE servicepro_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
DO $$
BEGIN
    CREATE ROLE servicepro_root NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
DO $$
BEGIN
    EXECUTE format('GRANT servicepro_app, servicepro_root TO %I', current_user);
EXCEPTION WHEN others THEN NULL;
END $$;

GRANT USAGE ON SCHEMA public TO servicepro_app, servicepro_root;

-- The platform's tenants. A tenant sees its own row only.
CREATE TABLE tenants (
    id TEXT PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    industry TEXT NOT NULL,
    plan_tier TEXT NOT NULL CHECK (plan_tier IN ('starter', 'pro', 'elite')),
    status TEXT NOT NULL CHECK (status IN ('trialing', 'active', 'past_due', 'suspended', 'cancelled')),
    trial_ends_at TIMESTAMPTZ,
    time_zone TEXT NOT NULL DEFAULT 'America/Chicago',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE tenant_billing (
    tenant_id TEXT PRIMARY KEY REFERENCES tenants(id),
    stripe_customer_id TEXT,
    stripe_subscription_id TEXT,
    current_period_end TIMESTAMPTZ,
    last_event_at TIMESTAMPTZ,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Phone numbers route calls and texts to tenants, so a number belongs to one
-- tenant platform-wide (under Citus this is a reference table).
CREATE TABLE tenant_phone_config (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    phone_number TEXT NOT NULL UNIQUE CHECK (phone_number ~ '^\+[1-9][0-9]{6,14}$'),
    messaging_service_sid TEXT,
    ivr_mode TEXT NOT NULL CHECK (ivr_mode IN ('simple', 'ivr', 'ai-voice')),
    sip_uri TEXT,
    forward_to TEXT CHECK (forward_to IS NULL OR forward_to ~ '^\+[1-9][0-9]{6,14}$'),
    sip_username TEXT,
    sip_password_encrypted BYTEA,
    twilio_account_sid TEXT,
    twilio_auth_token_encrypted BYTEA,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CHECK (sip_uri IS NOT NULL OR forward_to IS NOT NULL)
);

CREATE TABLE tenant_config (
    tenant_id TEXT PRIMARY KEY REFERENCES tenants(id),
    branding JSONB NOT NULL DEFAULT '{}',
    business_hours JSONB NOT NULL DEFAULT '{}',
    service_area JSONB NOT NULL DEFAULT '{}',
    booking_rules JSONB NOT NULL DEFAULT '{}',
    owner_phone TEXT,
    owner_email TEXT,
    booking_url TEXT,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE customers (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    phone TEXT NOT NULL,
    name TEXT,
    email TEXT,
    address TEXT,
    sms_opted_out BOOLEAN NOT NULL DEFAULT false,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, phone)
);

CREATE TABLE services (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes > 0),
    is_addon BOOLEAN NOT NULL DEFAULT false,
    active BOOLEAN NOT NULL DEFAULT true,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, name)
);

CREATE TABLE sms_templates (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    template_key TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, template_key)
);

-- Tenant API keys: only a SHA-256 of the secret is kept; the key names its
-- tenant, so lookups stay inside one tenant (and one shard).
CREATE TABLE api_keys (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    name TEXT NOT NULL DEFAULT 'default',
    key_prefix TEXT NOT NULL,
    key_hash TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, key_hash)
);

-- Append-only record of every cross-tenant (root) action. Not tenant-owned:
-- only the root role may read or append, nobody may change it.
CREATE TABLE audit_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target_tenant_id TEXT,
    detail JSONB NOT NULL DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Row level security on every tenant-owned table: a tenant connection sees
-- and writes only rows of the tenant named by `app.tenant_id` (set with
-- SET LOCAL by TenantDb); with no setting nothing matches (fail closed).
DO $$
DECLARE
    t TEXT;
    col TEXT;
BEGIN
    FOR t, col IN SELECT * FROM (VALUES
        ('tenants', 'id'),
        ('tenant_billing', 'tenant_id'),
        ('tenant_phone_config', 'tenant_id'),
        ('tenant_config', 'tenant_id'),
        ('customers', 'tenant_id'),
        ('services', 'tenant_id'),
        ('sms_templates', 'tenant_id'),
        ('api_keys', 'tenant_id')) AS v(t, col)
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format(
            'CREATE POLICY tenant_isolation ON %I TO servicepro_app '
            'USING (%I = current_setting(''app.tenant_id'', true)) '
            'WITH CHECK (%I = current_setting(''app.tenant_id'', true))', t, col, col);
        EXECUTE format(
            'CREATE POLICY root_access ON %I TO servicepro_root USING (true) WITH CHECK (true)', t);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO servicepro_app, servicepro_root', t);
    END LOOP;
END $$;

GRANT SELECT, INSERT ON audit_log TO servicepro_root;

-- Lookups that must happen before the tenant is known run as the root role
-- through these narrow functions: they reveal a tenant id and nothing else.
CREATE FUNCTION resolve_tenant_by_phone(p_number TEXT) RETURNS TEXT
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
    AS $$ SELECT tenant_id FROM tenant_phone_config WHERE phone_number = p_number $$;
ALTER FUNCTION resolve_tenant_by_phone(TEXT) OWNER TO servicepro_root;
REVOKE ALL ON FUNCTION resolve_tenant_by_phone(TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION resolve_tenant_by_phone(TEXT) TO servicepro_app;

-- The root tenant: Clean Machine, the flagship mobile detailer.
INSERT INTO tenants (id, name, industry, plan_tier, status, time_zone)
VALUES ('root', 'Clean Machine', 'mobile-detailing', 'elite', 'active', 'America/Chicago');
INSERT INTO tenant_billing (tenant_id) VALUES ('root');
INSERT INTO tenant_config (tenant_id) VALUES ('root');
