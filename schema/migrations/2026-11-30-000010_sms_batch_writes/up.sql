-- servicepro_receive_text (migration 0009) without a deadlock. Its customer upsert
-- was `DO UPDATE SET phone = ...`: setting a column of a unique index makes ON CONFLICT
-- lock the customer row FOR UPDATE, which conflicts with the FOR KEY SHARE lock a
-- foreign-key check takes. A text locked the customer, then the thread; the save of
-- the same customer's previous turn locked the thread, then (recording the reply, whose
-- foreign key names the customer) the customer: opposite orders, and PostgreSQL killed
-- one of them (reproduced with pgbench, a few customers texting at once: 21 deadlocks
-- in 5 s). Setting a column outside every unique index takes the weaker lock, which a
-- key share does not wait for. Same signature, same results.
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
        ON CONFLICT (tenant_id, phone) DO UPDATE SET sms_opted_out = customers.sms_opted_out
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

-- The SMS pipeline's writes of many texts at once, for the group-commit writer
-- (`conversation::text_writer`): one call, one round trip and one commit for a whole
-- batch of one tenant instead of a transaction per text. SECURITY INVOKER, like the
-- single-text functions of migration 0009 it calls: row level security and the
-- transaction's app.tenant_id apply.
--
-- p_writes is a JSON array of writes, done in array order, each through the
-- single-text function, so a batch behaves exactly as the same writes one after
-- another (a repeated MessageSid, or the same customer twice, included):
--   {"ord", "kind": "receive", "from", "channel", "to", "body", "sid", "media"}
--     stores an inbound text (servicepro_receive_text); its row carries the thread,
--     the new message's id (NULL for a repeated sid), the opt-out flag and the state;
--   {"ord", "kind": "save", "conversation", "state", "handed_off", "customer",
--    "from", "to", "body"}
--     saves a turn and records its inline reply (servicepro_save_state_and_reply);
--     its row carries the reply's id in message_id, the rest NULL.
-- Every lock a write takes belongs to its customer, so the caller orders a batch by
-- the customer's number: concurrent batches then take their locks in one order and
-- cannot deadlock.
CREATE FUNCTION servicepro_write_texts(p_writes JSONB)
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

REVOKE ALL ON FUNCTION servicepro_write_texts(JSONB) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION servicepro_write_texts(JSONB) TO servicepro_app;
