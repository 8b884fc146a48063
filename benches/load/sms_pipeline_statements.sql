-- pgbench replay of the database work of one SMS pipeline text, with no server:
-- the number lookup, `servicepro_receive_text` (customer and thread upsert, the
-- message, its metering, opt-out flag and state) and `servicepro_save_state_and_reply`
-- (migrations 0009, 0012: the reply marks its text answered), as `conversation::store` calls them, each
-- transaction opened and closed as `TenantDb::transaction` does, as servicepro_app
-- (run with PGOPTIONS='-c role=servicepro_app'). Its rate is the most the pipeline
-- could reach on this schema if HTTP, signatures and the brain cost nothing.
\set c random(1000, 5999)
\set n random(1, 1000000000000)
SELECT tenant_id, version FROM resolve_tenant_version_by_phone('+19185550100');
BEGIN \; SELECT set_config('app.tenant_id', 'load', true);
SELECT customer_id, conversation_id, message_id, opted_out, state FROM servicepro_receive_text('+1918555' || :c, 'sms', '+19185550100', 'hi how much is a full detail', 'SM' || :n, '{}') \gset
COMMIT \; SELECT servicepro_check_connection();
BEGIN \; SELECT set_config('app.tenant_id', 'load', true);
SELECT servicepro_save_state_and_reply(:conversation_id, '{"stage":"idle","service":null,"addons":[],"details":{},"offers":[],"upsell_offered":false,"name":null,"address":null}'::jsonb, false, :customer_id, '+19185550100', '+1918555' || :c, 'We offer Full Detail for $275. Want to book?', :message_id, 'sent');
COMMIT \; SELECT servicepro_check_connection();
