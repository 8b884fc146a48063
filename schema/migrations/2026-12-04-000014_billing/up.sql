-- Billing (issue 15): what Stripe last told us about each tenant's subscription and
-- invoices, the Stripe events already applied (a replay is a no-op), and the lookup
-- from a Stripe customer to its tenant.

-- The subscription's state (with the object's own `created` and the applied event's
-- `created`, so late or reordered events never move it backwards), the latest invoice
-- (its id, `created` and outcome), the last payment, and when the owner of a suspended
-- tenant was last told about a text (at most once a day).
ALTER TABLE tenant_billing
    ADD COLUMN subscription_status TEXT CHECK (subscription_status IN
        ('trialing', 'active', 'past_due', 'unpaid', 'canceled', 'incomplete',
         'incomplete_expired', 'paused')),
    ADD COLUMN subscription_created TIMESTAMPTZ,
    ADD COLUMN price_id TEXT,
    ADD COLUMN latest_invoice_id TEXT,
    ADD COLUMN latest_invoice_created TIMESTAMPTZ,
    ADD COLUMN latest_invoice_status TEXT CHECK (latest_invoice_status IN
        ('paid', 'payment_failed', 'action_required')),
    ADD COLUMN last_payment_at TIMESTAMPTZ,
    ADD COLUMN last_payment_cents BIGINT CHECK (last_payment_cents >= 0),
    ADD COLUMN owner_notified_at TIMESTAMPTZ;

CREATE UNIQUE INDEX tenant_billing_stripe_customer ON tenant_billing (stripe_customer_id)
    WHERE stripe_customer_id IS NOT NULL;

-- Every Stripe event applied (or deliberately ignored), by its id: inserted in the
-- same transaction as its effects. Platform data, written only through the audited
-- root path (the audit row names the tenant).
CREATE TABLE stripe_events (
    id TEXT PRIMARY KEY CHECK (id ~ '^evt_[A-Za-z0-9_]{1,255}$'),
    event_type TEXT NOT NULL,
    event_created TIMESTAMPTZ NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('applied', 'stale', 'unlinked', 'ignored')),
    received_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
GRANT SELECT, INSERT ON stripe_events TO servicepro_root;

-- Which tenant a Stripe customer pays for (invoices carry the customer, not always
-- the subscription's metadata). Reveals a tenant id and nothing else.
CREATE FUNCTION resolve_tenant_by_stripe_customer(p_customer TEXT) RETURNS TEXT
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
    AS $$ SELECT tenant_id FROM tenant_billing WHERE stripe_customer_id = p_customer $$;
ALTER FUNCTION resolve_tenant_by_stripe_customer(TEXT) OWNER TO servicepro_root;
REVOKE ALL ON FUNCTION resolve_tenant_by_stripe_customer(TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION resolve_tenant_by_stripe_customer(TEXT) TO servicepro_app;

-- Expired trials without a subscription and the status each moves to at p_now:
-- past_due once the trial has ended, suspended once p_grace_days have passed too.
-- The trial scheduler's candidates (its writes re-check the same conditions).
CREATE FUNCTION billing_expired_trials(p_now TIMESTAMPTZ, p_grace_days INT)
    RETURNS TABLE (tenant_id TEXT, next_status TEXT)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
    AS $$
    SELECT t.id,
           CASE WHEN t.trial_ends_at + make_interval(days => p_grace_days) <= p_now
                THEN 'suspended' ELSE 'past_due' END
    FROM tenants t
    LEFT JOIN tenant_billing b ON b.tenant_id = t.id
    WHERE b.stripe_subscription_id IS NULL
      AND t.trial_ends_at <= p_now
      AND (t.status = 'trialing'
           OR (t.status = 'past_due' AND t.trial_ends_at + make_interval(days => p_grace_days) <= p_now))
    $$;
ALTER FUNCTION billing_expired_trials(TIMESTAMPTZ, INT) OWNER TO servicepro_root;
REVOKE ALL ON FUNCTION billing_expired_trials(TIMESTAMPTZ, INT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billing_expired_trials(TIMESTAMPTZ, INT) TO servicepro_app;
