DROP FUNCTION IF EXISTS servicepro_save_states_and_replies(JSONB);
DROP FUNCTION IF EXISTS servicepro_receive_texts(JSONB);
