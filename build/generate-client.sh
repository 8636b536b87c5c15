#!/usr/bin/env bash
# Regenerates the TypeScript client in src/Clients/TypeScript from the service's own OpenAPI document:
#  1. builds src/WebApi (Release) and starts it on a free loopback port with throwaway data folders,
#  2. downloads /openapi/v1.json into src/Clients/TypeScript/openapi.json and stops the service,
#  3. runs NSwag (npm package, .NET 10 runtime) into src/Clients/TypeScript/src/client.ts,
#  4. type-checks the result with tsc.
# The output is deterministic: running it twice gives byte-identical files.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

client=src/Clients/TypeScript
tmp=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

echo "Building src/WebApi (Release)..."
dotnet build src/WebApi -c Release -nologo -v q >/dev/null

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
api="http://127.0.0.1:$port"

# The content root is the working directory, so run from src/WebApi to pick up its appsettings.json.
echo "Starting the service on $api..."
(
  cd src/WebApi
  ASPNETCORE_URLS="$api" \
  ASSETS_DIR="$tmp/assets" \
  DATABASE_URL="Data Source=$tmp/app.db" \
  LOG_DIR="$tmp/logs" \
  Email__PickupDirectory="$tmp/mail" \
  JWT_SECRET="$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')" \
  RATE_LIMIT_ENABLED=false \
  exec dotnet bin/Release/net10.0/CleanBackend.WebApi.dll
) >"$tmp/service.log" 2>&1 &
pid=$!

for _ in $(seq 1 120); do
  if curl -fsS "$api/health/ready" >/dev/null 2>&1; then
    break
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "The service stopped during start-up:" >&2
    cat "$tmp/service.log" >&2
    exit 1
  fi
  sleep 0.5
done
if ! curl -fsS "$api/health/ready" >/dev/null 2>&1; then
  echo "The service did not become ready on $api:" >&2
  tail -n 50 "$tmp/service.log" >&2
  exit 1
fi

curl -fsS "$api/openapi/v1.json" -o "$tmp/openapi.json"

# Two adjustments keep the client stable and compiling:
#  - "servers" names the random port of this run: dropped, so the client has no built-in base URL;
#  - uploads reference the IFormFile schema ({type: string, format: binary}) through a $ref, which NSwag 14.7.1
#    misses (it then uses FileParameter without declaring it, RicoSuter/NSwag#5389): inlined.
python3 - "$tmp/openapi.json" "$client/openapi.json" <<'PY'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    doc = json.load(f)
doc.pop("servers", None)
schemas = doc.get("components", {}).get("schemas", {})
binary = {name for name, schema in schemas.items() if schema == {"type": "string", "format": "binary"}}

def inline(node):
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if len(node) == 1 and ref.startswith("#/components/schemas/") and ref.rsplit("/", 1)[1] in binary:
            return {"type": "string", "format": "binary"}
        return {key: inline(value) for key, value in node.items()}
    if isinstance(node, list):
        return [inline(item) for item in node]
    return node

doc["paths"] = inline(doc.get("paths", {}))
with open(sys.argv[2], "w", encoding="utf-8", newline="\n") as f:
    json.dump(doc, f, indent=2, ensure_ascii=False)
    f.write("\n")
PY
echo "OpenAPI document: $client/openapi.json ($(wc -c <"$client/openapi.json") bytes)"

kill "$pid"
wait "$pid" 2>/dev/null || true
pid=""

npm ci --prefix "$client" --no-audit --no-fund >/dev/null

# Options: one client class; DTOs as interfaces with date-times as ISO strings (what the JSON carries);
# AbortSignal on every method. NSwag's header names only its own version, no date, so the output is stable.
(
  cd "$client"
  npx --no-install nswag openapi2tsclient /runtime:Net100 \
    /input:openapi.json \
    /output:src/client.ts \
    /template:Fetch \
    /className:CleanBackendClient \
    /operationGenerationMode:SingleClientFromOperationId \
    /typeScriptVersion:5.0 \
    /typeStyle:Interface \
    /dateTimeType:String \
    /useAbortSignal:true \
    /generateOptionalParameters:true \
    /markOptionalProperties:true \
    /nullValue:Undefined \
    /generateCloneMethod:false \
    >"$tmp/nswag.log" 2>&1 || { cat "$tmp/nswag.log" >&2; exit 1; }
)
echo "Client: $client/src/client.ts ($(wc -l <"$client/src/client.ts") lines)"

npx --prefix "$client" tsc -p "$client"
echo "tsc: $client compiles."
