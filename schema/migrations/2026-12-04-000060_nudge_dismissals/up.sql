-- Nudges an owner dismissed (issue 18): one row per tenant, nudge kind and
-- period (e.g. `2026-12` for a monthly nudge), so a dismissed nudge stays away
-- for the rest of its period and comes back in the next one if still true.
CREATE TABLE nudge_dismissals (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    kind TEXT NOT NULL CHECK (kind ~ '^[a-z_]{1,40}$'),
    period TEXT NOT NULL CHECK (length(period) BETWEEN 1 AND 20),
    dismissed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, kind, period)
);
SELECT servicepro_enable_tenant_rls('nudge_dismissals');
