#!/usr/bin/env bash
# Writes a pgbench script that replays the database work of one group-commit batch
# of the SMS pipeline, with no server: per text the number lookup, then one
# transaction storing `batch` texts through `servicepro_write_texts` (migration 0010),
# then one saving their turns and recording their replies, each opened and closed
# as `TenantDb::transaction` does, in the customer-number order the writer uses.
# Run as servicepro_app (PGOPTIONS='-c role=servicepro_app'); one pgbench
# transaction is `batch` texts.
# Usage: benches/load/sms_pipeline_batched_statements.sh BATCH > script.sql
set -euo pipefail
batch=${1:?batch size}
state='{"stage":"idle","service":null,"addons":[],"details":{},"offers":[],"upsell_offered":false,"name":null,"address":null}'
echo '\set n random(1, 1000000000000)'
for _ in $(seq 1 "$batch"); do
  echo "SELECT tenant_id, version FROM resolve_tenant_version_by_phone('+19185550100');"
done
echo "BEGIN \; SELECT set_config('app.tenant_id', 'load', true);"
echo "WITH t AS (SELECT i, '+1918555' || (1000 + (random() * 4999)::int) AS phone FROM generate_series(1, $batch) i), " \
     "r AS (SELECT * FROM servicepro_write_texts((SELECT jsonb_agg(jsonb_build_object('ord', i, 'kind', 'receive', 'from', phone, 'channel', 'sms', 'to', '+19185550100', 'body', 'hi how much is a full detail', 'sid', 'SM' || :n || '-' || i, 'media', '[]'::jsonb) ORDER BY phone) FROM t))) " \
     "SELECT jsonb_agg(jsonb_build_object('ord', r.ord, 'kind', 'save', 'conversation', r.conversation_id, 'customer', r.customer_id, 'handed_off', false, 'from', '+19185550100', 'to', t.phone, 'body', 'We offer Full Detail for \$275. Want to book?', 'answers', r.message_id, 'status', 'sent', 'state', '$state'::jsonb) ORDER BY t.phone) AS saves FROM r JOIN t ON t.i = r.ord \\gset"
echo "COMMIT \; SELECT servicepro_check_connection();"
echo "BEGIN \; SELECT set_config('app.tenant_id', 'load', true);"
echo "SELECT count(*) FROM servicepro_write_texts(':saves'::jsonb);"
echo "COMMIT \; SELECT servicepro_check_connection();"
