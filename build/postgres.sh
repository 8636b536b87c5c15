#!/usr/bin/env bash
# A throwaway PostgreSQL server on 127.0.0.1 for the tests.
#   build/postgres.sh start [DIR]  -> initialises DIR (default: a new temporary folder), starts the server
#                                     on a free port (or PG_TEST_PORT), and prints the TEST_POSTGRES_URL to use
#   build/postgres.sh stop DIR     -> stops the server started in DIR
set -euo pipefail
command=${1:?usage: build/postgres.sh start|stop [DIR]}
# A free port unless one is given.
port=${PG_TEST_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
# From /: the tools complain when they cannot enter a caller's private working folder.
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "cd / && $1"; else bash -c "$1"; fi; }

case "$command" in
  start)
    dir=${2:-$(mktemp -d)/pg}
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir" "$(dirname "$dir")"
    as_postgres "'$bin/initdb' -D '$dir' -U postgres --auth=trust -E UTF8 >/dev/null"
    as_postgres "'$bin/pg_ctl' -D '$dir' -o \"-c listen_addresses=127.0.0.1 -p $port -k /tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off\" -l '$dir/server.log' -w start >/dev/null"
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
    ;;
  stop)
    dir=${2:?usage: build/postgres.sh stop DIR}
    as_postgres "'$bin/pg_ctl' -D '$dir' -m fast -w stop >/dev/null" || true
    ;;
  *) echo "usage: build/postgres.sh start|stop [DIR]" >&2; exit 2 ;;
esac
