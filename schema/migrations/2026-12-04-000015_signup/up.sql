-- Self-serve signup (issue 15): the owner's account and the number the platform
-- buys for a new tenant.

-- The person who signed the business up. One account per e-mail address,
-- platform-wide and case-insensitively (the unique index is what makes two
-- concurrent signups with one address end in exactly one tenant).
CREATE TABLE tenant_owners (
    tenant_id TEXT PRIMARY KEY REFERENCES tenants(id),
    owner_name TEXT NOT NULL CHECK (length(owner_name) BETWEEN 1 AND 200),
    email TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    -- argon2id PHC string; NULL when the owner gave no password.
    password_hash TEXT,
    city TEXT NOT NULL,
    area_code TEXT NOT NULL CHECK (area_code ~ '^[2-9][0-9]{2}$'),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX tenant_owners_email_key ON tenant_owners (lower(email));
SELECT servicepro_enable_tenant_rls('tenant_owners');

-- Buying a tenant's platform number, one row per tenant. The intent is written
-- before Twilio is asked to buy (`buying`), the bought number's SID right after
-- (`bought`), and `done` with the tenant_phone_config row in the same
-- transaction: a process that dies between two steps resumes from the row (and
-- finds a number bought but not recorded by its FriendlyName at Twilio), so a
-- tenant never gets two numbers. `lease_until` lets one worker at a time act.
CREATE TABLE number_provisioning (
    tenant_id TEXT PRIMARY KEY REFERENCES tenants(id),
    area_code TEXT NOT NULL CHECK (area_code ~ '^[2-9][0-9]{2}$'),
    state TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'buying', 'bought', 'done', 'released')),
    phone_number TEXT CHECK (phone_number ~ '^\+[1-9][0-9]{6,14}$'),
    phone_sid TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    lease_until TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (state NOT IN ('bought', 'done') OR (phone_sid IS NOT NULL AND phone_number IS NOT NULL))
);
CREATE INDEX number_provisioning_due ON number_provisioning (next_attempt_at)
    WHERE state IN ('pending', 'buying', 'bought');
SELECT servicepro_enable_tenant_rls('number_provisioning');

-- A number the platform bought answers before its owner has said where calls
-- go: forwarding (SIP address or number) becomes optional; a call that would be
-- forwarded with neither set falls through to voicemail (voice::call_flow).
ALTER TABLE tenant_phone_config DROP CONSTRAINT tenant_phone_config_check;

-- The provisioning retry job's one cross-tenant question: which tenants are due
-- for another try now. It reveals tenant ids only (each try then runs in its
-- tenant's own scope), and costs no audit row per poll.
CREATE FUNCTION due_number_provisioning(p_limit INTEGER) RETURNS SETOF TEXT
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
    AS $$
        SELECT tenant_id FROM number_provisioning
        WHERE state IN ('pending', 'buying', 'bought')
          AND next_attempt_at <= now()
          AND (lease_until IS NULL OR lease_until < now())
        ORDER BY next_attempt_at
        LIMIT p_limit
    $$;
ALTER FUNCTION due_number_provisioning(INTEGER) OWNER TO servicepro_root;
REVOKE ALL ON FUNCTION due_number_provisioning(INTEGER) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION due_number_provisioning(INTEGER) TO servicepro_app;
