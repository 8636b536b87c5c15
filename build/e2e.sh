#!/usr/bin/env bash
# Runs the end-to-end journey (tests/EndToEnd: TypeScript, node's test runner, the SDK in src/Clients/TypeScript) against the
# real service: starts src/WebApi (Release build; SQLite, built-in generator, e-mails in a pickup folder) on a free
# loopback port, runs the journey with E2E_BASE_URL and E2E_MAIL_DIR, and stops the service.
#   --no-build   use the Release build already there
#   --tap FILE   also write the results in TAP form to FILE (the test command counts them)
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
. build/lib/service.sh

build=true
tap=""
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=false ;;
    --tap) tap=$2; shift ;;
    *) echo "usage: build/e2e.sh [--no-build] [--tap FILE]" >&2; exit 2 ;;
  esac
  shift
done

tmp=$(mktemp -d)
trap 'service_stop; rm -rf "$tmp"' EXIT

if $build; then
  dotnet build src/WebApi -c Release -nologo -v q >/dev/null
fi

# The client package as a consumer gets it (dist/), then the journey that imports it.
npm ci --prefix src/Clients/TypeScript --no-audit --no-fund >/dev/null
npm run --prefix src/Clients/TypeScript --silent build
npm ci --prefix tests/EndToEnd --no-audit --no-fund >/dev/null
npm run --prefix tests/EndToEnd --silent build

# The client README's usage example (its ts blocks, in order) must compile against the package as it is.
example=tests/EndToEnd/readme-example
mkdir -p "$example"
python3 - src/Clients/TypeScript/README.md "$example/example.ts" <<'PY'
import re, sys
blocks = re.findall(r"```ts\n(.*?)```", open(sys.argv[1], encoding="utf-8").read(), re.S)
if not blocks:
    sys.exit("no ts example in " + sys.argv[1])
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(blocks))
PY
printf '{ "extends": "../tsconfig.json", "compilerOptions": { "noEmit": true, "rootDir": "." }, "include": ["."] }\n' >"$example/tsconfig.json"
npx --prefix tests/EndToEnd tsc -p "$example" || { echo "The client README's example does not compile." >&2; exit 1; }
echo "The client README's example compiles."

# The journey's webhook receiver listens on plain http on loopback, which only this setting lets a webhook use.
service_start "$tmp/service" Webhooks__AllowHttp=true Webhooks__AllowPrivateNetworks=true
echo "End-to-end journey against $SERVICE_URL (built-in generator, SQLite, e-mails in $tmp/service/mail)"

reporters=(--test-reporter=spec --test-reporter-destination=stdout)
if [ -n "$tap" ]; then
  reporters+=(--test-reporter=tap --test-reporter-destination="$tap")
fi
status=0
E2E_BASE_URL="$SERVICE_URL" E2E_MAIL_DIR="$tmp/service/mail" \
  node --test "${reporters[@]}" tests/EndToEnd/dist/ || status=$?
if [ $status -ne 0 ]; then
  echo "--- service log (last 40 lines) ---" >&2
  tail -n 40 "$tmp/service/service.log" >&2
fi
exit $status
