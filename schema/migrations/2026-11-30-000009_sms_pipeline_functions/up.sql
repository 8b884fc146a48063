-- The SMS webhook's two writes, as PL/pgSQL functions so each pooled connection
-- plans their statements once (a statement sent as raw SQL is parsed and planned on
-- every call, which was most of PostgreSQL's work per text). SECURITY INVOKER: they
-- run as servicepro_app, under row level security and the transaction's
-- app.tenant_id, like any other statement of the tenant.

-- Stores an inbound text on its thread (creating the customer and thread on first
-- contact), meters it once, and returns the thread, the new message's id (NULL when
-- the same MessageSid was stored before), the opt-out flag and the brain state.
CREATE FUNCTION servicepro_receive_text(
    p_from TEXT, p_channel TEXT, p_to TEXT, p_body TEXT, p_sid TEXT, p_media TEXT[])
    RETURNS TABLE (customer_id BIGINT, conversation_id BIGINT, message_id BIGINT,
                   opted_out BOOLEAN, state JSONB)
    LANGUAGE plpgsql SECURITY INVOKER SET search_path = public
    AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH c AS (
        INSERT INTO customers (tenant_id, phone) VALUES (current_setting('app.tenant_id', true), p_from)
        ON CONFLICT (tenant_id, phone) DO UPDATE SET phone = EXCLUDED.phone
        RETURNING id, sms_opted_out
    ), conv AS (
        INSERT INTO conversations (tenant_id, customer_id, channel)
        SELECT current_setting('app.tenant_id', true), c.id, p_channel FROM c
        ON CONFLICT (tenant_id, customer_id, channel) DO UPDATE SET updated_at = now()
        RETURNING id, customer_id, state
    ), m AS (
        INSERT INTO messages (tenant_id, conversation_id, customer_id, direction, from_number,
                              to_number, body, twilio_sid, status, purpose, media_urls)
        SELECT current_setting('app.tenant_id', true), conv.id, conv.customer_id, 'inbound',
               p_from, p_to, p_body, p_sid, 'received', 'customer', p_media
        FROM conv
        ON CONFLICT (tenant_id, twilio_sid) DO NOTHING
        RETURNING id
    ), u AS (
        INSERT INTO usage_events (tenant_id, kind, quantity, source_key)
        SELECT current_setting('app.tenant_id', true), 'sms_in', 1, p_sid FROM m
        ON CONFLICT DO NOTHING
    )
    SELECT conv.customer_id, conv.id, (SELECT m.id FROM m), c.sms_opted_out, conv.state
    FROM conv, c;
END
$$;

-- Saves a thread's brain state (stamping the first handoff) and records the reply
-- that goes back inline, as sent; returns the reply's messages.id.
CREATE FUNCTION servicepro_save_state_and_reply(
    p_conversation BIGINT, p_state JSONB, p_handed_off BOOLEAN, p_customer BIGINT,
    p_from TEXT, p_to TEXT, p_body TEXT)
    RETURNS BIGINT
    LANGUAGE plpgsql SECURITY INVOKER SET search_path = public
    AS $$
DECLARE
    reply_id BIGINT;
BEGIN
    UPDATE conversations SET state = p_state, updated_at = now(),
        handed_off_at = CASE WHEN p_handed_off THEN COALESCE(handed_off_at, now()) ELSE handed_off_at END
    WHERE tenant_id = current_setting('app.tenant_id', true) AND id = p_conversation;
    INSERT INTO messages (tenant_id, conversation_id, customer_id, direction, from_number,
                          to_number, body, status, purpose)
    VALUES (current_setting('app.tenant_id', true), p_conversation, p_customer, 'outbound',
            p_from, p_to, p_body, 'sent', 'reply')
    RETURNING id INTO reply_id;
    RETURN reply_id;
END
$$;

REVOKE ALL ON FUNCTION servicepro_receive_text(TEXT, TEXT, TEXT, TEXT, TEXT, TEXT[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION servicepro_receive_text(TEXT, TEXT, TEXT, TEXT, TEXT, TEXT[]) TO servicepro_app;
REVOKE ALL ON FUNCTION servicepro_save_state_and_reply(BIGINT, JSONB, BOOLEAN, BIGINT, TEXT, TEXT, TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION servicepro_save_state_and_reply(BIGINT, JSONB, BOOLEAN, BIGINT, TEXT, TEXT, TEXT) TO servicepro_app;
