DROP FUNCTION IF EXISTS servicepro_stale_pending(INT, BIGINT, INT);
DROP FUNCTION IF EXISTS servicepro_claim_unanswered(INT, INT);
DROP FUNCTION IF EXISTS servicepro_save_state_and_reply(BIGINT, JSONB, BOOLEAN, BIGINT, TEXT, TEXT, TEXT, BIGINT, TEXT);
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
REVOKE ALL ON FUNCTION servicepro_save_state_and_reply(BIGINT, JSONB, BOOLEAN, BIGINT, TEXT, TEXT, TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION servicepro_save_state_and_reply(BIGINT, JSONB, BOOLEAN, BIGINT, TEXT, TEXT, TEXT) TO servicepro_app;
CREATE OR REPLACE FUNCTION servicepro_write_texts(p_writes JSONB)
    RETURNS TABLE (ord INT, customer_id BIGINT, conversation_id BIGINT, message_id BIGINT,
                   opted_out BOOLEAN, state JSONB)
    LANGUAGE plpgsql SECURITY INVOKER SET search_path = public
    AS $$
DECLARE
    w RECORD;
BEGIN
    FOR w IN SELECT * FROM jsonb_to_recordset(p_writes)
             AS x(ord INT, kind TEXT, "from" TEXT, channel TEXT, "to" TEXT, body TEXT, sid TEXT,
                  media TEXT[], conversation BIGINT, state JSONB, handed_off BOOLEAN,
                  customer BIGINT)
    LOOP
        IF w.kind = 'receive' THEN
            RETURN QUERY SELECT w.ord, r.customer_id, r.conversation_id, r.message_id,
                                r.opted_out, r.state
                FROM servicepro_receive_text(w."from", w.channel, w."to", w.body, w.sid, w.media) r;
        ELSIF w.kind = 'save' THEN
            RETURN QUERY SELECT w.ord, NULL::BIGINT, NULL::BIGINT,
                servicepro_save_state_and_reply(w.conversation, w.state, w.handed_off,
                    w.customer, w."from", w."to", w.body),
                NULL::BOOLEAN, NULL::JSONB;
        ELSE
            RAISE EXCEPTION 'unknown text write kind %', w.kind;
        END IF;
    END LOOP;
END
$$;
DROP FUNCTION IF EXISTS servicepro_mark_answered(BIGINT);
DROP INDEX IF EXISTS messages_pending_by_id;
DROP INDEX IF EXISTS messages_unanswered;
ALTER TABLE messages DROP COLUMN claimed_at, DROP COLUMN answered_at;
