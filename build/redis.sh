#!/usr/bin/env bash
# A throwaway Redis server on 127.0.0.1 for the tests.
#   build/redis.sh start DIR  -> starts redis-server on a free port (or REDIS_TEST_PORT) with its pid file in DIR,
#                                keeping nothing on disk, and prints the TEST_REDIS_URL to use
#   build/redis.sh stop DIR   -> stops the server started in DIR
set -euo pipefail
command=${1:?usage: build/redis.sh start|stop DIR}
dir=${2:?usage: build/redis.sh start|stop DIR}
command -v redis-server >/dev/null || { echo "Redis is not installed (apt-get install redis-server)" >&2; exit 1; }

case "$command" in
  start)
    port=${REDIS_TEST_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
    mkdir -p "$dir"
    redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --daemonize yes \
      --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --dir "$dir"
    for _ in $(seq 1 50); do
      redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG && { echo "127.0.0.1:$port"; exit 0; }
      sleep 0.1
    done
    echo "Redis did not start; see $dir/redis.log" >&2
    exit 1
    ;;
  stop)
    [ -f "$dir/redis.pid" ] && kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
    ;;
  *) echo "usage: build/redis.sh start|stop DIR" >&2; exit 2 ;;
esac
