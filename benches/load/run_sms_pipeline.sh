#!/usr/bin/env bash
# SMS pipeline load: signed inbound texts → stored, deduped, answered by the
# offline agent brain (inline TwiML reply), measured with wrk on loopback;
# then pgbench's single-row INSERT throughput on the same PostgreSQL in the
# same run, and the pipeline as a ratio of it; then pgbench replays of the
# pipeline's own statements, one text per transaction and in group-commit batches
# of the size the run formed, as its database ceilings.
# Usage: benches/load/run_sms_pipeline.sh [duration] [connections]
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-20s}
connections=${2:-32}
port=18091
ivr_mode=ivr
source benches/load/server.sh
requests=$(mktemp)
python3 benches/load/make_signed_texts.py $token "http://127.0.0.1:$port/twilio/sms/incoming" +19185550100 100000 "$requests"
echo "== SMS pipeline (wrk)"
wrk -t2 -c"$connections" -d"$duration" --latency -s benches/load/signed_requests.lua "http://127.0.0.1:$port" -- "$requests" /twilio/sms/incoming | tee /tmp/sms_wrk.txt
echo "inbound stored: $(psql -qtAh 127.0.0.1 -U postgres -d $db -c "SELECT count(*) FROM messages WHERE direction = 'inbound'")," \
     "replies: $(psql -qtAh 127.0.0.1 -U postgres -d $db -c "SELECT count(*) FROM messages WHERE direction = 'outbound'")"
metrics=$(curl -sf localhost:$port/metrics)
batches=$(awk '/^servicepro_sms_write_batches_total/ {print $2}' <<<"$metrics")
writes=$(awk '/^servicepro_sms_writes_total/ {print $2}' <<<"$metrics")
batch=$(python3 -c "print(max(1, round($writes / max(1, $batches))))")
echo "group commit: $writes writes in $batches batches (mean batch $(python3 -c "print(f'{$writes / max(1, $batches):.1f}')"))"
kill $server; wait $server 2>/dev/null || true
echo "== pgbench single-row INSERT, same connections"
psql -qh 127.0.0.1 -U postgres -d $db -c "CREATE TABLE bench_insert (id bigserial PRIMARY KEY, tenant_id text, body text, created_at timestamptz DEFAULT now())"
script=$(mktemp)
echo "INSERT INTO bench_insert (tenant_id, body) VALUES ('load', 'hi how much is a full detail');" > "$script"
pgbench -h 127.0.0.1 -U postgres -n -c"$connections" -j2 -T"${duration%s}" -f "$script" $db | tee /tmp/sms_pgbench.txt
echo "== pgbench replay of the pipeline's own statements one text per transaction (no server), same connections"
PGOPTIONS='-c role=servicepro_app' pgbench -h 127.0.0.1 -U postgres -n -c"$connections" -j2 -T"${duration%s}" \
  -f benches/load/sms_pipeline_statements.sql $db | tee /tmp/sms_pgbench_statements.txt
echo "== pgbench replay of the pipeline's statements in group-commit batches of $batch (the mean above), same connections"
batched=$(mktemp)
bash benches/load/sms_pipeline_batched_statements.sh "$batch" > "$batched"
PGOPTIONS='-c role=servicepro_app' pgbench -h 127.0.0.1 -U postgres -n -c"$connections" -j2 -T"${duration%s}" \
  -f "$batched" $db | tee /tmp/sms_pgbench_batched.txt
sms=$(awk '/Requests\/sec/ {print $2}' /tmp/sms_wrk.txt)
pg=$(awk '/^tps/ {print $3}' /tmp/sms_pgbench.txt)
python3 -c "print(f'SMS pipeline {float(\"$sms\"):.0f} texts/s vs pgbench {float(\"$pg\"):.0f} inserts/s: ratio {float(\"$sms\")/float(\"$pg\"):.1%}')"
floor=$(awk '/^tps/ {print $3}' /tmp/sms_pgbench_statements.txt)
python3 -c "print(f'the pipeline statements one text per transaction (every batch of one): {float(\"$floor\"):.0f} texts/s, {float(\"$floor\")/float(\"$pg\"):.1%} of pgbench; the whole pipeline reaches {float(\"$sms\")/float(\"$floor\"):.0%} of that')"
ceiling=$(awk '/^tps/ {print $3}' /tmp/sms_pgbench_batched.txt)
python3 -c "print(f'the pipeline statements in batches of $batch: {float(\"$ceiling\") * $batch:.0f} texts/s, {float(\"$ceiling\") * $batch / float(\"$pg\"):.1%} of pgbench; the whole pipeline reaches {float(\"$sms\") / (float(\"$ceiling\") * $batch):.0%} of that')"
