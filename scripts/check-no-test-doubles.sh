#!/usr/bin/env bash
# The server binary of the default build carries no test double: builds it
# (debug unless PROFILE=release) without the `testkit` feature and fails if a
# symbol of the fake Realtime server, the fake chat endpoint or the fake Stripe
# API (and their loopback HTTP plumbing) is linked in.
# With `--features testkit` the same symbols are present (that is how the
# pattern is known to match): `scripts/check-no-test-doubles.sh --expect-present`.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=${PROFILE:-debug}
pattern='FakeRealtimeServer|FakeChatServer|FakeStripe|realtime::fake_server|brain::llm::fake|billing::fake|servicepro_actors::loopback'
flags=(-p servicepro --bin servicepro)
[ "$profile" = release ] && flags+=(--release)
expect=absent
if [ "${1:-}" = --expect-present ]; then
    flags+=(--features testkit)
    expect=present
fi

cargo build "${flags[@]}"
count=$(nm -C "target/$profile/servicepro" | grep -cE "$pattern" || true)
echo "test-double symbols in target/$profile/servicepro: $count (expected $expect)"
if [ "$expect" = absent ] && [ "$count" -ne 0 ]; then
    nm -C "target/$profile/servicepro" | grep -E "$pattern" | head -5
    exit 1
fi
if [ "$expect" = present ] && [ "$count" -eq 0 ]; then
    exit 1
fi
