#!/usr/bin/env bash
# Measures the service against its performance budgets and writes the table into docs/performance.md.
#  1. builds the service and the bare baseline (build/bench/Baseline) in Release;
#  2. starts the service on SQLite on a free loopback port with throwaway folders, RATE_LIMIT_ENABLED=false and a
#     random JWT_SECRET, registers a user (the code comes from the pickup e-mail) and seeds it through the public API:
#     57 chats with messages, 200 completed generation jobs with their assets, a 5 MB glb upload;
#  3. restarts it three times: start to /health/ready, and resident memory when idle;
#  4. starts the baseline on a copy of the database, checks once that both answer the same bytes, then runs wrk
#     against both in turns: the chat and job lists, and the 5 MB download against static files;
#  5. generation latency (100 jobs, 10 at a time), then 2,000 SSE subscribers (memory, delivery latency);
#  6. stops both and runs the cluster stage (build/bench/cluster.sh): two instances on PostgreSQL and Redis behind
#     nginx against one, and job events from one instance to another's subscribers;
#  7. prints the table and writes it, with the date and the machine, into docs/performance.md.
# Takes about 10 minutes. Needs dotnet, python3, node, curl and wrk (installed from Debian when missing and root); the
# cluster stage also needs nginx, redis-server and PostgreSQL (installed the same way), else its rows say "not measured".
# Settings: BENCH_ROUNDS (3), BENCH_SECONDS (10), BENCH_WARMUP (20, seconds of load before each measured pair),
# BENCH_SUBSCRIBERS (2000), BENCH_CLUSTER_JOBS (120, jobs of the cross-instance events), BENCH_OUT (docs/performance.md).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

rounds=${BENCH_ROUNDS:-3}
seconds=${BENCH_SECONDS:-10}
subscribers=${BENCH_SUBSCRIBERS:-2000}
out=${BENCH_OUT:-docs/performance.md}
connections=256
download_connections=32
bench_started=$(date +%s)

for tool in dotnet python3 node curl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is required" >&2; exit 1; }
done
if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "wrk is missing: installing Debian's wrk package (apt-get install wrk)."
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null
  else
    echo "bench: wrk is required (Debian: apt-get install wrk)" >&2
    exit 1
  fi
fi

tmp=$(mktemp -d)
results=$tmp/results
mkdir -p "$results" "$tmp/static"
. build/lib/processes.sh
pids=()
cleanup() {
  stop_started
  rm -rf "$tmp"
}
trap cleanup EXIT

echo "Building the service and the baseline (Release)..."
dotnet build src/WebApi -c Release -nologo -v q >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log" >&2; exit 1; }
dotnet build build/bench/Baseline -c Release -nologo -v q >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log" >&2; exit 1; }

api="http://127.0.0.1:$(free_port)"
baseline="http://127.0.0.1:$(free_port)"
secret=$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')

service_pid=""
ready_ms=""
# Starts the service (from src/WebApi, for its appsettings.json) and sets service_pid and ready_ms.
start_service() {
  local started
  started=$(date +%s%N)
  (
    cd src/WebApi
    ASPNETCORE_URLS="$api" \
    API_URL="$api" \
    ASSETS_DIR="$tmp/assets" \
    DATABASE_URL="Data Source=$tmp/app.db" \
    LOG_DIR="$tmp/logs" \
    Email__PickupDirectory="$tmp/mail" \
    JWT_SECRET="$secret" \
    JWT_EXPIRES_IN=2h \
    RATE_LIMIT_ENABLED=false \
    exec dotnet bin/Release/net10.0/CleanBackend.WebApi.dll
  ) >>"$tmp/service.log" 2>&1 &
  service_pid=$!
  pids+=("$service_pid")
  ready_ms=$(python3 build/bench/wait_ready.py "$api/health/ready" "$started" "$service_pid") \
    || { tail -n 40 "$tmp/service.log" >&2; exit 1; }
}
stop_service() {
  kill "$service_pid"
  wait "$service_pid" 2>/dev/null || true
}
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

echo "Starting the service on $api (empty database) and seeding it..."
start_service
first_ready_ms=$ready_ms
python3 build/bench/make_glb.py "$tmp/static/bench.glb" 5 >/dev/null
python3 build/bench/seed.py "$api" "$tmp/mail" "$results/seed.json" "$tmp/static/bench.glb"
stop_service

echo "Start-up: three starts on the seeded database..."
starts=()
for i in 1 2 3; do
  start_service
  sleep 5
  idle=$(rss_kb "$service_pid")
  echo "  start $i: ready after ${ready_ms} ms, idle RSS $((idle / 1024)) MB"
  starts+=("{\"readyMs\": $ready_ms, \"idleRssKb\": $idle}")
  [ "$i" = 3 ] || stop_service
done

json() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$results/seed.json" "$1"; }
token=$(json token)
asset=$(json downloadAssetId)
chat=$(json chatId)

echo "Starting the baseline on $baseline (a copy of the database)..."
python3 -c 'import sqlite3, sys; s = sqlite3.connect(sys.argv[1]); d = sqlite3.connect(sys.argv[2]); s.backup(d); d.close()' \
  "$tmp/app.db" "$tmp/baseline.db"
started=$(date +%s%N)
(
  cd build/bench/Baseline
  ASPNETCORE_URLS="$baseline" \
  API_URL="$api" \
  JWT_SECRET="$secret" \
  BASELINE_DB="$tmp/baseline.db" \
  BASELINE_STATIC_DIR="$tmp/static" \
  exec dotnet bin/Release/net10.0/CleanBackend.Bench.Baseline.dll
) >"$tmp/baseline.log" 2>&1 &
baseline_pid=$!
pids+=("$baseline_pid")
python3 build/bench/wait_ready.py "$baseline/health" "$started" "$baseline_pid" >/dev/null || { cat "$tmp/baseline.log" >&2; exit 1; }

echo "Same answers from both:"
python3 build/bench/compare.py "$api" "$baseline" "$token" "$results/compare.json" \
  "/api/chats?page=1&limit=20" "/api/jobs?page=1&limit=20"

echo "Lists: wrk -c$connections, $rounds rounds of ${seconds}s, service and baseline in turns..."
python3 build/bench/load.py "$results/lists.json" "$token" "$rounds" "$seconds" "$connections" "$service_pid" "$baseline_pid" \
  chats "$api/api/chats?page=1&limit=20" "$baseline/api/chats?page=1&limit=20" \
  jobs "$api/api/jobs?page=1&limit=20" "$baseline/api/jobs?page=1&limit=20"

echo "Downloads: wrk -c$download_connections, the 5 MB glb against static files..."
python3 build/bench/load.py "$results/downloads.json" "$token" "$rounds" "$seconds" "$download_connections" "$service_pid" "$baseline_pid" \
  download "$api/api/assets/$asset/download" "$baseline/static/bench.glb"

echo "Generation: 100 jobs, 10 at a time..."
python3 build/bench/generation.py "$api" "$token" "$chat" "$results/generation.json" 100 10

echo "SSE: $subscribers subscribers on /api/events..."
node build/bench/sse.mjs "$api" "$token" "$service_pid" "$results/sse.json" "$subscribers" 5

final_rss=$(rss_kb "$service_pid")
# The cluster stage gets the machine to itself.
stop_service
kill "$baseline_pid"
wait "$baseline_pid" 2>/dev/null || true

echo
# A failed cluster stage costs its rows ("not measured"), not the rest of the run.
build/bench/cluster.sh "$results" || echo "bench: the cluster stage failed; its rows say not measured." >&2

commit=$(git rev-parse --short HEAD)
git diff --quiet HEAD -- src build/bench || commit="$commit+changes"
cat >"$results/meta.json" <<EOF
{"starts": [$(IFS=,; echo "${starts[*]}")], "firstReadyMs": $first_ready_ms, "finalRssKb": $final_rss,
 "rounds": $rounds, "seconds": $seconds, "warmupSeconds": ${BENCH_WARMUP:-20}, "connections": $connections, "downloadConnections": $download_connections,
 "commit": "$commit", "benchSeconds": $(($(date +%s) - bench_started))}
EOF

echo
python3 build/bench/report.py "$results" "$out"
