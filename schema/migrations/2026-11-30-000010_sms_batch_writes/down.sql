DROP FUNCTION IF EXISTS servicepro_write_texts(JSONB);

CREATE OR REPLACE FUNCTION servicepro_receive_text(
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
