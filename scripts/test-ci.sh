#!/usr/bin/env bash
# `npm run test:ci`: typecheck and lint, the fault-injection suite, schemathesis, vitest, then the one
# closing line CI counts ("tests: N passed, N failed, N skipped").
#
# The static checks need no service, and the fault suite spends most of its six minutes waiting out
# outages (PostgreSQL stopped or read-only, SMTP down, Temporal killed), so the two run side by side:
# about 80 s off a CI run kept under 20 minutes. The other suites share the one PostgreSQL cluster the
# fault suite stops, so they run after it. The static checks' output is printed whole once they end.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-output

(npm run typecheck && npm run lint) > test-output/static-checks.log 2>&1 &
static_pid=$!

npm run test:chaos
chaos=$?

wait "$static_pid"
static=$?
echo "== typecheck and lint (ran beside the fault suite): exit $static"
cat test-output/static-checks.log
[ "$static" -eq 0 ] || exit "$static"
[ "$chaos" -eq 0 ] || exit "$chaos"

npm run fuzz:api || exit $?
npx vitest run --reporter=default --reporter=json --outputFile.json=test-output/vitest.json
vitest=$?
npx tsx scripts/test-summary.ts test-output/chaos.json test-output/vitest.json
summary=$?
[ "$vitest" -eq 0 ] || exit "$vitest"
exit "$summary"
