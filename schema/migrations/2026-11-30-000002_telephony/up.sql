-- Telephony: calls, voicemails, conversations, messages and usage metering.

-- Applies the tenant isolation pattern of the foundation migration to a new
-- tenant-owned table: RLS enabled and forced, the tenant policy for the app
-- role, the allow-all policy for the audited root role, and the grants.
CREATE FUNCTION servicepro_enable_tenant_rls(tbl regclass) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
    EXECUTE format(
        'CREATE POLICY tenant_isolation ON %s TO servicepro_app '
        'USING (tenant_id = current_setting(''app.tenant_id'', true)) '
        'WITH CHECK (tenant_id = current_setting(''app.tenant_id'', true))', tbl);
    EXECUTE format('CREATE POLICY root_access ON %s TO servicepro_root USING (true) WITH CHECK (true)', tbl);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO servicepro_app, servicepro_root', tbl);
END $$;

-- What a suspended tenant's callers get: a paused message, or the owner's phone.
ALTER TABLE tenant_config
    ADD COLUMN suspended_call_behavior TEXT NOT NULL DEFAULT 'message'
        CHECK (suspended_call_behavior IN ('message', 'forward'));

-- One row per Twilio call. Status callbacks can come twice or out of
-- order: `status` only moves forward (terminal states are final).
CREATE TABLE calls (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    call_sid TEXT NOT NULL,
    direction TEXT NOT NULL DEFAULT 'inbound' CHECK (direction IN ('inbound', 'outbound')),
    from_number TEXT NOT NULL,
    to_number TEXT NOT NULL,
    customer_id BIGINT,
    status TEXT NOT NULL DEFAULT 'ringing',
    status_timeline JSONB NOT NULL DEFAULT '[]',
    route TEXT,
    started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    answered_at TIMESTAMPTZ,
    ended_at TIMESTAMPTZ,
    duration_seconds INTEGER CHECK (duration_seconds >= 0),
    transcript JSONB NOT NULL DEFAULT '[]',
    summary TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, call_sid),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers(tenant_id, id)
);

CREATE TABLE voicemails (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    call_sid TEXT NOT NULL,
    recording_sid TEXT NOT NULL,
    recording_url TEXT NOT NULL,
    duration_seconds INTEGER NOT NULL DEFAULT 0 CHECK (duration_seconds >= 0),
    from_number TEXT NOT NULL,
    customer_id BIGINT,
    owner_notified_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, recording_sid),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers(tenant_id, id)
);

-- A thread with one customer on one channel; `state` holds the agent's
-- booking-flow state so it survives restarts.
CREATE TABLE conversations (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    customer_id BIGINT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('sms', 'web', 'voice')),
    state JSONB NOT NULL DEFAULT '{}',
    handed_off_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, customer_id, channel),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers(tenant_id, id)
);

-- Every text in and out. `status` follows Twilio's message statuses plus
-- our own `pending` (waiting for the rate limiter) and `refused`.
CREATE TABLE messages (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    conversation_id BIGINT,
    customer_id BIGINT,
    direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    from_number TEXT NOT NULL,
    to_number TEXT NOT NULL,
    body TEXT NOT NULL,
    twilio_sid TEXT,
    status TEXT NOT NULL,
    error_code TEXT,
    error_message TEXT,
    purpose TEXT NOT NULL DEFAULT 'reply',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at TIMESTAMPTZ,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, twilio_sid),
    FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations(tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers(tenant_id, id)
);
CREATE INDEX messages_pending ON messages (tenant_id, status) WHERE status = 'pending';

-- Metered usage. `source_key` (a CallSid, MessageSid, ...) makes metering
-- idempotent: a callback delivered twice meters once.
CREATE TABLE usage_events (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    kind TEXT NOT NULL CHECK (kind IN ('sms_in', 'sms_out', 'call_minutes', 'ai_minutes', 'bookings')),
    quantity INTEGER NOT NULL CHECK (quantity >= 0),
    source_key TEXT NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, kind, source_key)
);

SELECT servicepro_enable_tenant_rls('calls');
SELECT servicepro_enable_tenant_rls('voicemails');
SELECT servicepro_enable_tenant_rls('conversations');
SELECT servicepro_enable_tenant_rls('messages');
SELECT servicepro_enable_tenant_rls('usage_events');

-- Where a call status sits in a call's life: status callbacks that arrive
-- late or twice never move a call backwards; terminal states are final.
CREATE FUNCTION call_status_rank(status TEXT) RETURNS INTEGER
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE status
        WHEN 'queued' THEN 0
        WHEN 'initiated' THEN 1
        WHEN 'ringing' THEN 2
        WHEN 'in-progress' THEN 3
        WHEN 'completed' THEN 4
        WHEN 'busy' THEN 4
        WHEN 'no-answer' THEN 4
        WHEN 'failed' THEN 4
        WHEN 'canceled' THEN 4
        ELSE 0
    END
$$;
GRANT EXECUTE ON FUNCTION call_status_rank(TEXT) TO servicepro_app, servicepro_root;
