DROP FUNCTION billing_expired_trials(TIMESTAMPTZ, INT);
DROP FUNCTION resolve_tenant_by_stripe_customer(TEXT);
DROP TABLE stripe_events;
DROP INDEX tenant_billing_stripe_customer;
ALTER TABLE tenant_billing
    DROP COLUMN subscription_status,
    DROP COLUMN subscription_created,
    DROP COLUMN price_id,
    DROP COLUMN latest_invoice_id,
    DROP COLUMN latest_invoice_created,
    DROP COLUMN latest_invoice_status,
    DROP COLUMN last_payment_at,
    DROP COLUMN last_payment_cents,
    DROP COLUMN owner_notified_at;
