#!/usr/bin/env bash
# Regenerates the TypeScript client in src/Clients/TypeScript from the service's own OpenAPI document:
#  1. builds src/WebApi (Release) and starts it on a free loopback port with throwaway data folders,
#  2. downloads /openapi/v1.json into src/Clients/TypeScript/openapi.json and stops the service,
#  3. runs NSwag (npm package, .NET 10 runtime) into src/Clients/TypeScript/src/client.ts,
#  4. type-checks the result with tsc.
# The output is deterministic: running it twice gives byte-identical files.
#   --check     generate into a scratch folder and fail (exit 1, with the diff) when the committed client differs:
#               the test command runs this, so a DTO changed without regenerating the client fails CI.
#   --no-build  use the Release build already there.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
. build/lib/service.sh

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
trap 'service_stop; rm -rf "$tmp"' EXIT

# With --check the client is generated into a scratch folder and compared with the committed one.
out=$client
if $check; then
  out=$tmp/out
  mkdir -p "$out/src"
fi

if $build; then
  echo "Building src/WebApi (Release)..."
  dotnet build src/WebApi -c Release -nologo -v q >/dev/null
fi

service_start "$tmp/service"
echo "Service started on $SERVICE_URL."
curl -fsS "$SERVICE_URL/openapi/v1.json" -o "$tmp/openapi.json"
service_stop

# Two adjustments keep the client stable and compiling:
#  - "servers" names the random port of this run: dropped, so the client has no built-in base URL;
#  - uploads reference the IFormFile schema ({type: string, format: binary}) through a $ref, which NSwag 14.7.1
#    misses (it then uses FileParameter without declaring it, RicoSuter/NSwag#5389): inlined.
python3 - "$tmp/openapi.json" "$out/openapi.json" <<'PY'
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
echo "OpenAPI document: $out/openapi.json ($(wc -c <"$out/openapi.json") bytes)"

npm ci --prefix "$client" --no-audit --no-fund >/dev/null

# Options: one client class; DTOs as interfaces with date-times as ISO strings (what the JSON carries);
# AbortSignal on every method. NSwag's header names only its own version, no date, so the output is stable.
out_abs=$(cd "$out" && pwd)
(
  cd "$client"
  npx --no-install nswag openapi2tsclient /runtime:Net100 \
    /input:"$out_abs/openapi.json" \
    /output:"$out_abs/src/client.ts" \
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
npx --prefix "$client" tsc -p "$client"
echo "tsc: $client compiles."
