-- Booking: appointments that cannot overlap for one crew, and the
-- tenant's own knowledge-base entries.

CREATE EXTENSION IF NOT EXISTS btree_gist;

-- An appointment holds its crew from `starts_at` to `busy_until` (the end
-- of the work plus the travel buffer). The exclusion constraint makes two
-- booked appointments of one crew with overlapping busy ranges impossible,
-- whichever server process commits them.
CREATE TABLE appointments (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    customer_id BIGINT NOT NULL,
    service_id BIGINT NOT NULL,
    addon_ids BIGINT[] NOT NULL DEFAULT '{}',
    crew SMALLINT NOT NULL DEFAULT 0 CHECK (crew >= 0),
    starts_at TIMESTAMPTZ NOT NULL,
    ends_at TIMESTAMPTZ NOT NULL,
    busy_until TIMESTAMPTZ NOT NULL,
    status TEXT NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'cancelled', 'completed')),
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
    address TEXT,
    details JSONB NOT NULL DEFAULT '{}',
    conversation_id BIGINT,
    channel TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CHECK (ends_at > starts_at AND busy_until >= ends_at),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers(tenant_id, id),
    FOREIGN KEY (tenant_id, service_id) REFERENCES services(tenant_id, id),
    FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations(tenant_id, id),
    CONSTRAINT appointments_no_overlap EXCLUDE USING gist (
        tenant_id WITH =,
        crew WITH =,
        tstzrange(starts_at, busy_until) WITH &&
    ) WHERE (status = 'booked')
);
CREATE INDEX appointments_by_time ON appointments (tenant_id, starts_at) WHERE status = 'booked';

-- Tenant knowledge-base entries (overrides and additions to the pack's FAQs).
CREATE TABLE kb_entries (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    category TEXT NOT NULL DEFAULT 'general',
    keywords TEXT[] NOT NULL DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, question)
);

SELECT servicepro_enable_tenant_rls('appointments');
SELECT servicepro_enable_tenant_rls('kb_entries');
