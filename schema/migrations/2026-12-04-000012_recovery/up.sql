-- Crash recovery (issue 14): nothing accepted goes unanswered.
--
-- messages.answered_at: on an inbound text, when it got its answer (the agent's reply
-- recorded, a keyword reply, or the decision that it gets none: opted out, not in the
-- plan, the owner told instead). Set once, in the same transaction as the agent's
-- reply, and only if still NULL: that conditional update is what makes a text
-- answered at most once, whoever (the webhook's turn, a late turn, a recovery sweep
-- of this or another process) gets there first. Texts stored before this migration
-- count as answered.
--
-- messages.claimed_at: on an inbound text, when a recovery sweep last took it; on an
-- outbound `pending` text, when a sender last took it to hand to Twilio. A claim older
-- than the sweep's grace is taken to be abandoned (its process died).
ALTER TABLE messages ADD COLUMN answered_at TIMESTAMPTZ, ADD COLUMN claimed_at TIMESTAMPTZ;
UPDATE messages SET answered_at = created_at WHERE direction = 'inbound';

CREATE INDEX messages_unanswered ON messages (created_at)
    WHERE direction = 'inbound' AND answered_at IS NULL;
CREATE INDEX messages_pending_by_id ON messages (id) WHERE status = 'pending';

-- Marks inbound text p_message answered; FALSE when it already was (someone else
-- answered it). SECURITY INVOKER: the tenant's own transaction, under RLS.
CREATE FUNCTION servicepro_mark_answered(p_message BIGINT) RETURNS BOOLEAN
    LANGUAGE plpgsql SECURITY INVOKER SET search_path = public
    AS $$
BEGIN
    UPDATE messages SET answered_at = now()
    WHERE tenant_id = current_setting('app.tenant_id', true) AND id = p_message
      AND direction = 'inbound' AND answered_at IS NULL;
    RETURN FOUND;
END
$$;
REVOKE ALL ON FUNCTION servicepro_mark_answered(BIGINT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION servicepro_mark_answered(BIGINT) TO servicepro_app;

-- servicepro_save_state_and_reply (migration 0009) answering a text: with p_answers,
-- the text is marked answered first and, when it already was, nothing is saved and
-- NULL returned. p_status is the reply's: `sent` (it goes back inline) or `pending`
-- (the outbox sends it; stored here so a crash after this commit still sends it).
DROP FUNCTION servicepro_save_state_and_reply(BIGINT, JSONB, BOOLEAN, BIGINT, TEXT, TEXT, TEXT);
CREATE FUNCTION servicepro_save_state_and_reply(
    p_conversation BIGINT, p_state JSONB, p_handed_off BOOLEAN, p_customer BIGINT,
    p_from TEXT, p_to TEXT, p_body TEXT, p_answers BIGINT, p_status TEXT)
    RETURNS BIGINT
    LANGUAGE plpgsql SECURITY INVOKER SET search_path = public
    AS $$
DECLARE
    reply_id BIGINT;
BEGIN
    IF p_answers IS NOT NULL AND NOT servicepro_mark_answered(p_answers) THEN
        RETURN NULL;
    END IF;
    UPDATE conversations SET state = p_state, updated_at = now(),
        handed_off_at = CASE WHEN p_handed_off THEN COALESCE(handed_off_at, now()) ELSE handed_off_at END
    WHERE tenant_id = current_setting('app.tenant_id', true) AND id = p_conversation;
    INSERT INTO messages (tenant_id, conversation_id, customer_id, direction, from_number,
                          to_number, body, status, purpose)
    VALUES (current_setting('app.tenant_id', true), p_conversation, p_customer, 'outbound',
            p_from, p_to, p_body, p_status, 'reply')
    RETURNING id INTO reply_id;
    RETURN reply_id;
END
$$;
REVOKE ALL ON FUNCTION servicepro_save_state_and_reply(BIGINT, JSONB, BOOLEAN, BIGINT, TEXT, TEXT, TEXT, BIGINT, TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION servicepro_save_state_and_reply(BIGINT, JSONB, BOOLEAN, BIGINT, TEXT, TEXT, TEXT, BIGINT, TEXT) TO servicepro_app;

-- servicepro_write_texts (migration 0010) with a save's two new keys, "answers" and
-- "status" (default `sent`); a save whose text was already answered returns NULL.
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
                  customer BIGINT, answers BIGINT, status TEXT)
    LOOP
        IF w.kind = 'receive' THEN
            RETURN QUERY SELECT w.ord, r.customer_id, r.conversation_id, r.message_id,
                                r.opted_out, r.state
                FROM servicepro_receive_text(w."from", w.channel, w."to", w.body, w.sid, w.media) r;
        ELSIF w.kind = 'save' THEN
            RETURN QUERY SELECT w.ord, NULL::BIGINT, NULL::BIGINT,
                servicepro_save_state_and_reply(w.conversation, w.state, w.handed_off,
                    w.customer, w."from", w."to", w.body, w.answers, COALESCE(w.status, 'sent')),
                NULL::BOOLEAN, NULL::JSONB;
        ELSE
            RAISE EXCEPTION 'unknown text write kind %', w.kind;
        END IF;
    END LOOP;
END
$$;

-- The recovery sweep's claim: up to p_limit inbound texts, of any tenant, unanswered
-- and neither stored nor claimed in the last p_grace_secs, oldest first; each is
-- claimed (claimed_at = now()) in this statement. FOR UPDATE SKIP LOCKED: two sweeps
-- at once (two processes) never take the same text. SECURITY DEFINER (owned by the
-- root role): the sweep runs before it knows a tenant; it claims and reads ids only,
-- and leaves one audit_log row per claim that took anything.
CREATE FUNCTION servicepro_claim_unanswered(p_grace_secs INT, p_limit INT)
    RETURNS TABLE (tenant_id TEXT, message_id BIGINT)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public
    AS $$
#variable_conflict use_column
DECLARE
    taken BIGINT;
BEGIN
    RETURN QUERY
    WITH candidates AS (
        SELECT m.tenant_id, m.id FROM messages m
        WHERE m.direction = 'inbound' AND m.answered_at IS NULL
          AND COALESCE(m.claimed_at, m.created_at) < now() - make_interval(secs => p_grace_secs)
        ORDER BY m.created_at, m.id
        LIMIT p_limit
        FOR UPDATE SKIP LOCKED
    )
    UPDATE messages m SET claimed_at = now()
    FROM candidates c WHERE m.tenant_id = c.tenant_id AND m.id = c.id
    RETURNING m.tenant_id, m.id;
    GET DIAGNOSTICS taken = ROW_COUNT;
    IF taken > 0 THEN
        INSERT INTO audit_log (actor, action, detail)
        VALUES ('recovery_sweep', 'claim_unanswered_texts', jsonb_build_object('texts', taken));
    END IF;
END
$$;
ALTER FUNCTION servicepro_claim_unanswered(INT, INT) OWNER TO servicepro_root;
REVOKE ALL ON FUNCTION servicepro_claim_unanswered(INT, INT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION servicepro_claim_unanswered(INT, INT) TO servicepro_app;

-- Outbound texts still `pending` with neither their storing nor a sender's claim in
-- the last p_grace_secs, after message p_after (keyset paging), up to p_limit, of any
-- tenant. Not claimed here: the sender claims each just before handing it to Twilio.
CREATE FUNCTION servicepro_stale_pending(p_grace_secs INT, p_after BIGINT, p_limit INT)
    RETURNS TABLE (tenant_id TEXT, message_id BIGINT)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public
    AS $$
BEGIN
    RETURN QUERY
    SELECT m.tenant_id, m.id FROM messages m
    WHERE m.status = 'pending' AND m.direction = 'outbound' AND m.id > p_after
      AND COALESCE(m.claimed_at, m.created_at) < now() - make_interval(secs => p_grace_secs)
    ORDER BY m.id
    LIMIT p_limit;
END
$$;
ALTER FUNCTION servicepro_stale_pending(INT, BIGINT, INT) OWNER TO servicepro_root;
REVOKE ALL ON FUNCTION servicepro_stale_pending(INT, BIGINT, INT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION servicepro_stale_pending(INT, BIGINT, INT) TO servicepro_app;
