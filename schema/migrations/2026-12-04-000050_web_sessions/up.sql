-- Browser sign-in (issue 18): sessions of owners and of the root operator, and
-- the one-time sign-in links texted to owners.

-- One row per signed-in browser. Only the SHA-256 of the cookie's token is
-- stored. An owner's token names its tenant, so its row is read in that
-- tenant's row-level scope like an API key; root rows have no tenant and are
-- reached only through the SECURITY DEFINER functions below.
CREATE TABLE web_sessions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('owner', 'root')),
    tenant_id TEXT REFERENCES tenants(id),
    token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    user_agent TEXT CHECK (length(user_agent) <= 300),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ,
    CHECK ((kind = 'owner') = (tenant_id IS NOT NULL))
);
CREATE INDEX web_sessions_tenant ON web_sessions (tenant_id) WHERE revoked_at IS NULL;
SELECT servicepro_enable_tenant_rls('web_sessions');

-- A sign-in link texted to the owner: single use, short-lived, hashed.
CREATE TABLE web_sign_in_links (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ,
    PRIMARY KEY (tenant_id, id)
);
SELECT servicepro_enable_tenant_rls('web_sign_in_links');

-- Signing in by e-mail happens before the tenant is known: this reveals the
-- tenant of an owner's address and its password hash, nothing else.
CREATE FUNCTION owner_sign_in_lookup(p_email TEXT)
    RETURNS TABLE (tenant_id TEXT, password_hash TEXT)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
    AS $$ SELECT o.tenant_id, o.password_hash FROM tenant_owners o WHERE lower(o.email) = lower(p_email) $$;
ALTER FUNCTION owner_sign_in_lookup(TEXT) OWNER TO servicepro_root;
REVOKE ALL ON FUNCTION owner_sign_in_lookup(TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION owner_sign_in_lookup(TEXT) TO servicepro_app;

-- Root sessions: created, looked up (and touched) and revoked by token hash only.
CREATE FUNCTION root_session_create(p_hash TEXT, p_user_agent TEXT, p_ttl_seconds INTEGER)
    RETURNS BIGINT
    LANGUAGE sql SECURITY DEFINER SET search_path = public
    AS $$ INSERT INTO web_sessions (kind, token_hash, user_agent, expires_at)
          VALUES ('root', p_hash, p_user_agent, now() + make_interval(secs => p_ttl_seconds)) RETURNING id $$;
ALTER FUNCTION root_session_create(TEXT, TEXT, INTEGER) OWNER TO servicepro_root;
REVOKE ALL ON FUNCTION root_session_create(TEXT, TEXT, INTEGER) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION root_session_create(TEXT, TEXT, INTEGER) TO servicepro_app;

CREATE FUNCTION root_session_touch(p_hash TEXT) RETURNS BIGINT
    LANGUAGE sql SECURITY DEFINER SET search_path = public
    AS $$ UPDATE web_sessions SET last_seen_at = now()
          WHERE kind = 'root' AND token_hash = p_hash AND revoked_at IS NULL AND expires_at > now()
          RETURNING id $$;
ALTER FUNCTION root_session_touch(TEXT) OWNER TO servicepro_root;
REVOKE ALL ON FUNCTION root_session_touch(TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION root_session_touch(TEXT) TO servicepro_app;

CREATE FUNCTION root_session_revoke(p_hash TEXT) RETURNS BIGINT
    LANGUAGE sql SECURITY DEFINER SET search_path = public
    AS $$ UPDATE web_sessions SET revoked_at = now()
          WHERE kind = 'root' AND token_hash = p_hash AND revoked_at IS NULL
          RETURNING id $$;
ALTER FUNCTION root_session_revoke(TEXT) OWNER TO servicepro_root;
REVOKE ALL ON FUNCTION root_session_revoke(TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION root_session_revoke(TEXT) TO servicepro_app;
