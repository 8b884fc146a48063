-- The SMS pipeline's writes of many texts at once, for the group-commit writer
-- (`conversation::text_writer`): one call, one round trip and one commit for a whole
-- batch of one tenant instead of a transaction per text. Each element goes through
-- the single-text function of migration 0009 in order, so a batch behaves exactly as
-- the same texts written one after another (a repeated MessageSid, or the same
-- customer twice, within one batch included). SECURITY INVOKER, like those: row
-- level security and the transaction's app.tenant_id apply.

-- p_texts: a JSON array of {ord, from, channel, to, body, sid, media}; one row per
-- element, tagged with its ord.
CREATE FUNCTION servicepro_receive_texts(p_texts JSONB)
    RETURNS TABLE (ord INT, customer_id BIGINT, conversation_id BIGINT, message_id BIGINT,
                   opted_out BOOLEAN, state JSONB)
    LANGUAGE plpgsql SECURITY INVOKER SET search_path = public
    AS $$
DECLARE
    t RECORD;
BEGIN
    FOR t IN SELECT * FROM jsonb_to_recordset(p_texts)
             AS x(ord INT, "from" TEXT, channel TEXT, "to" TEXT, body TEXT, sid TEXT, media TEXT[])
    LOOP
        RETURN QUERY SELECT t.ord, r.customer_id, r.conversation_id, r.message_id, r.opted_out, r.state
            FROM servicepro_receive_text(t."from", t.channel, t."to", t.body, t.sid, t.media) r;
    END LOOP;
END
$$;

-- p_saves: a JSON array of {ord, conversation, state, handed_off, customer, from, to,
-- body}; returns each element's reply messages.id, tagged with its ord.
CREATE FUNCTION servicepro_save_states_and_replies(p_saves JSONB)
    RETURNS TABLE (ord INT, message_id BIGINT)
    LANGUAGE plpgsql SECURITY INVOKER SET search_path = public
    AS $$
DECLARE
    s RECORD;
BEGIN
    FOR s IN SELECT * FROM jsonb_to_recordset(p_saves)
             AS x(ord INT, conversation BIGINT, state JSONB, handed_off BOOLEAN, customer BIGINT,
                  "from" TEXT, "to" TEXT, body TEXT)
    LOOP
        ord := s.ord;
        message_id := servicepro_save_state_and_reply(s.conversation, s.state, s.handed_off,
            s.customer, s."from", s."to", s.body);
        RETURN NEXT;
    END LOOP;
END
$$;

REVOKE ALL ON FUNCTION servicepro_receive_texts(JSONB) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION servicepro_receive_texts(JSONB) TO servicepro_app;
REVOKE ALL ON FUNCTION servicepro_save_states_and_replies(JSONB) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION servicepro_save_states_and_replies(JSONB) TO servicepro_app;
