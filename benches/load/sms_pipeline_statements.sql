-- pgbench replay of the database work of one SMS pipeline text, with no server:
-- the number lookup, `conversation::store::receive` (customer and thread upsert, the
-- message, its metering, opt-out flag and state) and `save_state_and_reply`, each
-- transaction opened and closed as `TenantDb::transaction` does, as servicepro_app
-- (run with PGOPTIONS='-c role=servicepro_app'). Its rate is the most the pipeline
-- could reach on this schema if HTTP, signatures and the brain cost nothing.
\set c random(1000, 5999)
\set n random(1, 1000000000000)
SELECT tenant_id, version FROM resolve_tenant_version_by_phone('+19185550100');
BEGIN \; SELECT set_config('app.tenant_id', 'load', true);
WITH c AS ( INSERT INTO customers (tenant_id, phone) VALUES (current_setting('app.tenant_id', true), '+1918555' || :c) ON CONFLICT (tenant_id, phone) DO UPDATE SET phone = EXCLUDED.phone RETURNING id, sms_opted_out ), conv AS ( INSERT INTO conversations (tenant_id, customer_id, channel) SELECT current_setting('app.tenant_id', true), id, 'sms' FROM c ON CONFLICT (tenant_id, customer_id, channel) DO UPDATE SET updated_at = now() RETURNING id, customer_id, state ), m AS ( INSERT INTO messages (tenant_id, conversation_id, customer_id, direction, from_number, to_number, body, twilio_sid, status, purpose) SELECT current_setting('app.tenant_id', true), conv.id, conv.customer_id, 'inbound', '+1918555' || :c, '+19185550100', 'hi how much is a full detail', 'SM' || :n, 'received', 'customer' FROM conv ON CONFLICT (tenant_id, twilio_sid) DO NOTHING RETURNING id ), u AS ( INSERT INTO usage_events (tenant_id, kind, quantity, source_key) SELECT current_setting('app.tenant_id', true), 'sms_in', 1, 'SM' || :n FROM m ON CONFLICT DO NOTHING ) SELECT conv.customer_id, conv.id AS conversation_id, (SELECT id FROM m) AS message_id, c.sms_opted_out AS opted_out, conv.state FROM conv, c \gset
COMMIT \; SELECT servicepro_check_connection();
BEGIN \; SELECT set_config('app.tenant_id', 'load', true);
WITH saved AS ( UPDATE conversations SET state = '{"stage":"idle","service":null,"addons":[],"details":{},"offers":[],"upsell_offered":false,"name":null,"address":null}'::jsonb, updated_at = now(), handed_off_at = CASE WHEN false THEN COALESCE(handed_off_at, now()) ELSE handed_off_at END WHERE tenant_id = current_setting('app.tenant_id', true) AND id = :conversation_id ) INSERT INTO messages (tenant_id, conversation_id, customer_id, direction, from_number, to_number, body, status, purpose) VALUES (current_setting('app.tenant_id', true), :conversation_id, :customer_id, 'outbound', '+19185550100', '+1918555' || :c, 'We offer Full Detail for $275. Want to book?', 'sent', 'reply') RETURNING id;
COMMIT \; SELECT servicepro_check_connection();
