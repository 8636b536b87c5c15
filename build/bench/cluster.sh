#!/usr/bin/env bash
# The bench's cluster stage: the service as README's "Many instances" runs it, on PostgreSQL and Redis behind nginx,
# everything on loopback and on this machine's cores.
#  1. starts a throwaway PostgreSQL (a fresh database) and Redis, instances A and B of the built Release service (B
#     once A has migrated the database), and two nginx fronts made from deploy/nginx/cleanbackend.conf: one over A and
#     B, one over A alone;
#  2. seeds a user through the two-instance front (build/bench/seed.py);
#  3. the chat and job lists through both fronts in turns (build/bench/load.py): two instances against one;
#  4. generation through each front (build/bench/generation.py); B is stopped for the one-instance run, since its
#     worker would otherwise take jobs too (every instance hears of every queued job);
#  5. cross-instance events: A restarted with its worker off and B started again, jobs created through B, subscribers
#     on A's /api/events (build/bench/cluster_events.py);
#  6. writes its figures as JSON into RESULTS_DIR/cluster/, which build/bench/report.py turns into rows.
# build/bench.sh runs it after its own stages; it also runs alone, on the service that bench.sh (or
# `dotnet build src/WebApi -c Release`) built. Takes about 4 minutes. Needs nginx, redis-server, PostgreSQL and wrk:
# installed from Debian when missing and root, otherwise the stage is skipped (the report says why).
# Settings: BENCH_ROUNDS (3), BENCH_SECONDS (10), BENCH_WARMUP (20; this stage warms up each front for half of it,
# and B directly for as long: see below), BENCH_CLUSTER_JOBS (120).
#
# usage: build/bench/cluster.sh [RESULTS_DIR]   (default: a new temporary folder)
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

rounds=${BENCH_ROUNDS:-3}
seconds=${BENCH_SECONDS:-10}
warmup=$(( ${BENCH_WARMUP:-20} / 2 ))
jobs=${BENCH_CLUSTER_JOBS:-120}
connections=256
dll=$PWD/src/WebApi/bin/Release/net10.0/CleanBackend.WebApi.dll
results=${1:-$(mktemp -d)}/cluster
mkdir -p "$results"
stage_started=$(date +%s)

# Writes why the stage did not run, for the report's "not measured" rows.
skip() {
  echo "Cluster stage skipped: $1"
  python3 -c 'import json, sys; json.dump({"skipped": sys.argv[2]}, open(sys.argv[1], "w"))' "$results/meta.json" "$1"
  exit 0
}

nginx=$(command -v nginx || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true)
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
missing=()
[ -n "$nginx" ] || missing+=(nginx)
command -v redis-server >/dev/null || missing+=(redis-server)
[ -n "$pg_bin" ] || missing+=(postgresql)
command -v wrk >/dev/null || missing+=(wrk)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "${missing[*]} missing: installing Debian's packages (apt-get install ${missing[*]})."
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    nginx=$(command -v nginx || echo /usr/sbin/nginx)
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  else
    skip "${missing[*]} not installed (Debian: apt-get install ${missing[*]})"
  fi
fi
[ -f "$dll" ] || { echo "cluster: build the service first: dotnet build src/WebApi -c Release" >&2; exit 1; }

tmp=$(mktemp -d)
# postgres.sh hands its folder's parent to the postgres user: a folder of its own.
pg_dir=$(mktemp -d)/pg
. build/lib/processes.sh
pids=()
cleanup() {
  stop_started
  build/redis.sh stop "$tmp/redis"
  build/postgres.sh stop "$pg_dir"
  rm -rf "$tmp" "$(dirname "$pg_dir")"
}
trap cleanup EXIT

port_a=$(free_port)
port_b=$(free_port)
a="http://127.0.0.1:$port_a"
b="http://127.0.0.1:$port_b"
front2="http://127.0.0.1:$(free_port)"
front1="http://127.0.0.1:$(free_port)"
secret=$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')

echo "Cluster: PostgreSQL, Redis, instances A ($a) and B ($b), nginx over both ($front2) and over A ($front1)..."
pg_url=$(build/postgres.sh start "$pg_dir")
pg_port=$(sed -E 's/.*Port=([0-9]+).*/\1/' <<<"$pg_url")
"$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres cleanbackend
# Each instance's connection pool is bounded so that both together stay under PostgreSQL's 100 connections: under
# wrk's 256 connections each pool could grow to its default of 100, and the server would refuse what is beyond.
database_url="${pg_url/Database=postgres/Database=cleanbackend};Maximum Pool Size=45"
redis=$(build/redis.sh start "$tmp/redis")

started_pid=""
# Starts instance NAME on PORT with the cluster's settings plus any NAME=VALUE given; sets started_pid once it is
# ready. The content root is the build output (its appsettings.json), the working folder the instance's own.
start_instance() {
  local name=$1 port=$2 started
  shift 2
  started=$(date +%s%N)
  mkdir -p "$tmp/$name"
  (
    cd "$tmp/$name"
    # API_URL is the public address, the two-instance front, as in a deployment: both write the same signed links.
    export ASPNETCORE_URLS="http://127.0.0.1:$port" \
      API_URL="$front2" \
      DATABASE_PROVIDER=postgres \
      DATABASE_URL="$database_url" \
      REDIS_URL="$redis" \
      ASSETS_DIR="$tmp/assets" \
      Email__PickupDirectory="$tmp/mail" \
      LOG_DIR="$tmp/$name/logs" \
      JWT_SECRET="$secret" \
      JWT_EXPIRES_IN=2h \
      RATE_LIMIT_ENABLED=false
    for setting in "$@"; do export "${setting?}"; done
    exec dotnet "$dll" --contentRoot "$(dirname "$dll")"
  ) >>"$tmp/$name.log" 2>&1 &
  started_pid=$!
  pids+=("$started_pid")
  python3 build/bench/wait_ready.py "http://127.0.0.1:$port/health/ready" "$started" "$started_pid" >/dev/null \
    || { tail -n 40 "$tmp/$name.log" >&2; exit 1; }
}
stop_pid() {
  kill "$1"
  wait "$1" 2>/dev/null || true
}

# nginx in the foreground (a child of this script) on a site made from the deployed one, with its temporary files
# and pid under its own folder.
start_front() {
  local name=$1 url=$2 started pid user=""
  shift 2
  local dir=$tmp/nginx-$name
  mkdir -p "$dir"
  python3 build/bench/nginx_site.py deploy/nginx/cleanbackend.conf "${url##*:}" "$@" >"$dir/site.conf"
  # As root, the workers would run as nobody and could not read this private folder.
  [ "$(id -u)" != 0 ] || user="user root;"
  # One worker per core, like a stock nginx.conf (`auto`); 256 wrk connections need as many again to the instances,
  # beyond the default 512 a worker.
  cat >"$dir/nginx.conf" <<EOF
$user
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $dir/client_body;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;
    include $dir/site.conf;
}
EOF
  started=$(date +%s%N)
  "$nginx" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" -g "daemon off;" >"$dir/out.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  python3 build/bench/wait_ready.py "$url/health/ready" "$started" "$pid" >/dev/null \
    || { cat "$dir/out.log" "$dir/error.log" >&2; exit 1; }
}

# The two instances share this machine's cores, so each gets half the built-in generator's default slots (4 per
# core): together they run as many jobs at once as one instance does alone, as instances on machines of their own would.
shared_slots=Jobs__Concurrency=$((2 * $(nproc)))
start_instance a "$port_a" "$shared_slots"
pid_a=$started_pid
start_instance b "$port_b" "$shared_slots"
pid_b=$started_pid
start_front two "$front2" "$port_a" "$port_b"
start_front one "$front1" "$port_a"

echo "Seeding through the two-instance front..."
python3 build/bench/make_glb.py "$tmp/bench.glb" 5 >/dev/null
python3 build/bench/seed.py "$front2" "$tmp/mail" "$results/seed.json" "$tmp/bench.glb"
json() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$results/seed.json" "$1"; }
token=$(json token)
chat=$(json chatId)

echo "Lists through nginx: wrk -c$connections, a ${warmup}s warm-up, $rounds rounds of ${seconds}s, two instances and one in turns..."
# load.py warms up each front in turn, which gives A (behind both) three times B's share (B is behind one front, and
# there shares the load with A). Then the first round through both fronts stalled for up to 2 s (wrk timed out) and
# took twice the CPU per request, in every trial. B gets the difference directly, so both have had the same.
for list in chats jobs; do
  wrk -t2 -c"$connections" -d"${warmup}s" -H "Authorization: Bearer $token" "$b/api/$list?page=1&limit=20" >/dev/null
done
BENCH_WARMUP=$warmup BENCH_LOAD_LABELS="two instances,one instance" \
  python3 build/bench/load.py "$results/lists.json" "$token" "$rounds" "$seconds" "$connections" "$pid_a,$pid_b" "$pid_a" \
  chats "$front2/api/chats?page=1&limit=20" "$front1/api/chats?page=1&limit=20" \
  jobs "$front2/api/jobs?page=1&limit=20" "$front1/api/jobs?page=1&limit=20"

echo "Generation through nginx, 100 jobs 10 at a time: two instances (warmed up with 30 jobs)..."
python3 build/bench/generation.py "$front2" "$token" "$chat" "$tmp/generation-warmup.json" 30 10 >/dev/null
python3 build/bench/generation.py "$front2" "$token" "$chat" "$results/generation-two.json" 100 10
echo "... and one (B stopped, A restarted with all the slots and warmed up with 30 jobs)..."
stop_pid "$pid_b"
stop_pid "$pid_a"
start_instance a "$port_a"
pid_a=$started_pid
python3 build/bench/generation.py "$front1" "$token" "$chat" "$tmp/generation-warmup.json" 30 10 >/dev/null
python3 build/bench/generation.py "$front1" "$token" "$chat" "$results/generation-one.json" 100 10

echo "Cross-instance events: A restarted with its worker off, B started again, $jobs jobs through B..."
stop_pid "$pid_a"
start_instance a "$port_a" Jobs__Enabled=false
start_instance b "$port_b" "$shared_slots"
python3 build/bench/cluster_events.py "$a" "$b" "$token" "$redis" "$results/events.json" "$jobs"

cat >"$results/meta.json" <<EOF
{"skipped": null, "rounds": $rounds, "seconds": $seconds, "warmupSeconds": $warmup, "connections": $connections,
 "nginx": "$("$nginx" -v 2>&1 | sed 's/.*version: //')", "redis": "$(redis-server --version | sed -E 's/.* v=([^ ]+).*/\1/')",
 "postgres": "$("$pg_bin/postgres" --version | sed -E 's/^postgres \(PostgreSQL\) ([^ ]+).*/\1/')", "stageSeconds": $(($(date +%s) - stage_started))}
EOF
echo "Cluster stage done in $(($(date +%s) - stage_started)) s; figures in $results."
