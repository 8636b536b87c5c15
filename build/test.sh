#!/usr/bin/env bash
# Runs every test and prints one closing line: "tests: N passed, N failed, N skipped". Its parts:
#  - the .NET test projects of the solution;
#  - the client check: the TypeScript client regenerated from the service's OpenAPI document must equal the
#    committed one (build/generate-client.sh --check), so a changed DTO without a regenerated client fails;
#  - the TypeScript SDK's unit tests (node --test);
#  - the end-to-end journey in TypeScript through that client against the running service (build/e2e.sh).
#  - Database tests run on SQLite, and on PostgreSQL too: the server in TEST_POSTGRES_URL, or else a throwaway
#    one started here when PostgreSQL is installed (apt-get install postgresql).
#  - Redis: a throwaway server (TEST_REDIS_URL) when redis-server is installed; the functional tests then run a second
#    time with every service instance sharing state through it (TEST_FUNCTIONAL_ON_REDIS=true), and the cluster test
#    (tests/Cluster.Tests: PostgreSQL, Redis, two service processes and nginx) runs on its own, last.
#  - SQL Server cannot run here: its idempotent migration script is generated into artifacts/ as a check.
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet tool restore >/dev/null || exit 1
dotnet build CleanBackend.sln -c Release -nologo -v q || exit 1
npm ci --prefix build/tools --no-audit --no-fund >/dev/null || exit 1

# The servers this script starts stop with it, however it ends.
stop_servers() {
  if [ -n "${redisdir:-}" ]; then build/redis.sh stop "$redisdir"; fi
  if [ -n "${pgdir:-}" ]; then build/postgres.sh stop "$pgdir"; fi
}
trap stop_servers EXIT

if [ -z "${TEST_POSTGRES_URL:-}" ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  pgdir=$(mktemp -d)/pg
  TEST_POSTGRES_URL=$(build/postgres.sh start "$pgdir") || exit 1
  export TEST_POSTGRES_URL
  echo "PostgreSQL for the tests: $TEST_POSTGRES_URL"
fi
[ -n "${TEST_POSTGRES_URL:-}" ] || echo "PostgreSQL is not installed: database tests run on SQLite only."

if [ -z "${TEST_REDIS_URL:-}" ] && command -v redis-server >/dev/null; then
  redisdir=$(mktemp -d)
  TEST_REDIS_URL=$(build/redis.sh start "$redisdir") || exit 1
  export TEST_REDIS_URL
  echo "Redis for the tests: $TEST_REDIS_URL"
fi
[ -n "${TEST_REDIS_URL:-}" ] || echo "Redis is not installed: the tests of many instances are skipped."

mkdir -p artifacts
dotnet ef migrations script --idempotent --context SqlServerApplicationDbContext \
  --project src/Infrastructure --startup-project src/WebApi --configuration Release --no-build \
  --output artifacts/sqlserver-migrations.sql >/dev/null || { echo "SQL Server migration script failed"; exit 1; }
echo "SQL Server migration script: artifacts/sqlserver-migrations.sql ($(wc -l < artifacts/sqlserver-migrations.sql) lines)"

results=$(mktemp -d)
status=0
if build/generate-client.sh --check --no-build; then
  printf 'ok 1 - the TypeScript client matches the OpenAPI document\n# pass 1\n' >"$results/client.tap"
else
  status=1
  printf 'not ok 1 - the TypeScript client matches the OpenAPI document\n# fail 1\n' >"$results/client.tap"
fi

# The SDK's own tests (node's test runner against small loopback servers), counted through their TAP.
echo "TypeScript SDK tests (src/Clients/TypeScript):"
sdk=src/Clients/TypeScript
if ! { npm ci --prefix "$sdk" --no-audit --no-fund >/dev/null && npx --prefix "$sdk" tsc -p "$sdk/tsconfig.test.json" &&
  node --test --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$results/sdk.tap" "$sdk/build-test/tests/"; }; then
  status=1
  [ -s "$results/sdk.tap" ] || printf 'not ok 1 - the TypeScript SDK tests ran\n# fail 1\n' >"$results/sdk.tap"
fi

dotnet test CleanBackend.sln -c Release --no-build --nologo --logger trx --results-directory "$results" \
  --filter "FullyQualifiedName!~CleanBackend.Cluster.Tests" || status=$?

if [ -n "${TEST_REDIS_URL:-}" ]; then
  echo "The functional tests again, every service sharing state through Redis:"
  TEST_FUNCTIONAL_ON_REDIS=true dotnet test tests/WebApi.FunctionalTests -c Release --no-build --nologo \
    --logger "trx;LogFileName=functional-on-redis.trx" --results-directory "$results" || status=$?
fi

# Alone, so that its two service processes and nginx have the machine to themselves.
echo "The cluster test (tests/Cluster.Tests):"
dotnet test tests/Cluster.Tests -c Release --no-build --nologo --logger "trx;LogFileName=cluster.trx" --results-directory "$results" || status=$?

echo "End-to-end journey (tests/EndToEnd):"
if ! build/e2e.sh --no-build --tap "$results/e2e.tap"; then
  status=1
  # A journey that could not even start still counts as a failure in the closing line.
  [ -s "$results/e2e.tap" ] || printf 'not ok 1 - the end-to-end journey ran\n# fail 1\n' >"$results/e2e.tap"
fi

python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    counters = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    passed += int(counters.get("passed", 0))
    failed += sum(int(counters.get(k, 0)) for k in ("failed", "error", "timeout", "aborted"))
    skipped += int(counters.get("notExecuted", 0))
# node's test runner and the client check write TAP, whose summary lines count the tests.
for path in glob.glob(sys.argv[1] + "/*.tap"):
    for line in open(path, encoding="utf-8"):
        key, _, value = line.removeprefix("# ").strip().partition(" ")
        if line.startswith("# ") and value.isdigit():
            passed += int(value) if key == "pass" else 0
            failed += int(value) if key in ("fail", "cancelled") else 0
            skipped += int(value) if key in ("skipped", "todo") else 0
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
PY
rm -rf "$results"
exit $status
