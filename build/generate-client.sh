#!/usr/bin/env bash
# Regenerates the TypeScript client in src/Clients/TypeScript from the service's own OpenAPI document:
#  1. builds src/WebApi (Release),
#  2. runs NSwag (the local dotnet tool) on src/Clients/TypeScript/nswag.json: it loads the built service in its
#     own host (no server listens, no background service runs), writes the document into openapi.json and
#     generates src/client.ts from it,
#  3. type-checks the result with tsc.
# The output is deterministic: running it twice gives byte-identical files (no "servers", no dates).
#   --check     generate into a scratch folder and fail (exit 1, with the diff) when the committed client differs:
#               the test command runs this, so a DTO changed without regenerating the client fails CI.
#   --no-build  use the Release build already there.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

check=false
build=true
for arg in "$@"; do
  case "$arg" in
    --check) check=true ;;
    --no-build) build=false ;;
    *) echo "usage: build/generate-client.sh [--check] [--no-build]" >&2; exit 2 ;;
  esac
done

client=src/Clients/TypeScript
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# With --check the client is generated into a scratch folder and compared with the committed one.
out=$client
if $check; then
  out=$tmp/out
  mkdir -p "$out/src"
fi
out_abs=$(cd "$out" && pwd)

if $build; then
  echo "Building src/WebApi (Release)..."
  dotnet build src/WebApi -c Release -nologo -v q >/dev/null
fi

dotnet tool restore >/dev/null
# The service's start-up runs inside NSwag's host: its log files go to the scratch folder, not the source tree.
LOG_DIR="$tmp/logs" dotnet nswag run "$client/nswag.json" /variables:Configuration=Release,OutDir="$out_abs" \
  >"$tmp/nswag.log" 2>&1 || { cat "$tmp/nswag.log" >&2; exit 1; }
echo "OpenAPI document: $out/openapi.json ($(wc -c <"$out/openapi.json") bytes)"

if $check; then
  if diff -u "$client/openapi.json" "$out/openapi.json" >"$tmp/diff" && diff -u "$client/src/client.ts" "$out/src/client.ts" >>"$tmp/diff"; then
    echo "TypeScript client: up to date with the service's OpenAPI document."
    exit 0
  fi
  head -n 80 "$tmp/diff" >&2
  echo "TypeScript client: OUT OF DATE. The service's OpenAPI document changed; run build/generate-client.sh and commit $client." >&2
  exit 1
fi

echo "Client: $client/src/client.ts ($(wc -l <"$client/src/client.ts") lines)"
npm ci --prefix "$client" --no-audit --no-fund >/dev/null
npx --prefix "$client" tsc -p "$client"
echo "tsc: $client compiles."
