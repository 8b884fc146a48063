-- Raised after every transaction's COMMIT or ROLLBACK, in the same round trip: a pooled
-- connection must be back to the app role with no tenant set before it returns to the
-- pool. A connection that fails this is discarded by the server.
CREATE FUNCTION servicepro_check_connection() RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF current_user <> 'servicepro_app' OR coalesce(current_setting('app.tenant_id', true), '') <> '' THEN
        RAISE EXCEPTION 'servicepro: pooled connection carries session state (role %, tenant %)',
            current_user, current_setting('app.tenant_id', true);
    END IF;
END
$$;
