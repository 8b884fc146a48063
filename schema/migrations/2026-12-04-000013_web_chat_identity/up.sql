-- Web-chat identity. A web visitor is not a phone: the widget's visitor id is its
-- own row (format checked), anonymous until it proves a phone number with a
-- one-time code texted to that number, or books. Anonymous visitors who never
-- booked are removed after a retention time (their conversation goes with them).
CREATE TABLE web_visitors (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    visitor_key TEXT NOT NULL CHECK (visitor_key ~ '^[A-Za-z0-9_-]{8,64}$'),
    claimed_phone TEXT,
    verified_phone TEXT,
    verified_at TIMESTAMPTZ,
    customer_id BIGINT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, visitor_key),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers(tenant_id, id)
);
CREATE INDEX web_visitors_new ON web_visitors (tenant_id, created_at);
CREATE INDEX web_visitors_anonymous ON web_visitors (last_seen_at)
    WHERE customer_id IS NULL AND verified_at IS NULL;
SELECT servicepro_enable_tenant_rls('web_visitors');

-- The one live code of a visitor (a new code replaces it): salted SHA-256 of the
-- six digits, never the digits; burned after too many wrong tries or when used.
CREATE TABLE web_verification_codes (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    visitor_id BIGINT NOT NULL,
    phone TEXT NOT NULL,
    salt BYTEA NOT NULL,
    code_hash BYTEA NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    pending_text TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, visitor_id),
    FOREIGN KEY (tenant_id, visitor_id) REFERENCES web_visitors(tenant_id, id) ON DELETE CASCADE
);
SELECT servicepro_enable_tenant_rls('web_verification_codes');

-- How many codes went to a number lately (the resend limit, across visitors).
CREATE INDEX messages_chat_codes ON messages (tenant_id, to_number, created_at)
    WHERE purpose = 'chat_code';

-- A web conversation belongs to its visitor, not to a customer.
ALTER TABLE conversations
    ALTER COLUMN customer_id DROP NOT NULL,
    ADD COLUMN visitor_id BIGINT,
    ADD UNIQUE (tenant_id, visitor_id),
    ADD FOREIGN KEY (tenant_id, visitor_id) REFERENCES web_visitors(tenant_id, id) ON DELETE CASCADE;

-- Visitors stored the old way (a customer whose phone is `web:<visitor id>`) move
-- over; those whose id is not a valid visitor id are dropped with their thread.
INSERT INTO web_visitors (tenant_id, visitor_key, created_at, last_seen_at)
SELECT tenant_id, substr(phone, 5), created_at, updated_at FROM customers
WHERE phone LIKE 'web:%' AND substr(phone, 5) ~ '^[A-Za-z0-9_-]{8,64}$';
UPDATE conversations c SET visitor_id = v.id, customer_id = NULL
FROM customers cu JOIN web_visitors v
    ON v.tenant_id = cu.tenant_id AND v.visitor_key = substr(cu.phone, 5)
WHERE c.tenant_id = cu.tenant_id AND c.customer_id = cu.id AND cu.phone LIKE 'web:%';
DELETE FROM conversations c USING customers cu
WHERE c.tenant_id = cu.tenant_id AND c.customer_id = cu.id AND cu.phone LIKE 'web:%'
  AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.tenant_id = c.tenant_id AND m.conversation_id = c.id)
  AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.tenant_id = c.tenant_id AND a.conversation_id = c.id);
DELETE FROM customers cu WHERE cu.phone LIKE 'web:%'
  AND NOT EXISTS (SELECT 1 FROM conversations c WHERE c.tenant_id = cu.tenant_id AND c.customer_id = cu.id)
  AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.tenant_id = cu.tenant_id AND m.customer_id = cu.id)
  AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.tenant_id = cu.tenant_id AND a.customer_id = cu.id);

ALTER TABLE conversations
    ADD CONSTRAINT conversations_one_party CHECK ((customer_id IS NULL) <> (visitor_id IS NULL));
