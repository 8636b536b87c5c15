# Sourced by the build scripts: runs the built service (src/WebApi, Release) on a free loopback port.
#   service_start DIR [NAME=VALUE...]  starts it with throwaway data under DIR (SQLite, assets, logs, e-mail
#                                      pickup folder DIR/mail, a random JWT_SECRET, rate limits off, API_URL set
#                                      to its own address so signed asset URLs point at it) plus the
#                                      given settings; sets SERVICE_URL and SERVICE_PID once /health/ready is 200.
#   service_stop                       stops it (call it from an EXIT trap).
. build/lib/processes.sh
SERVICE_URL=""
SERVICE_PID=""

service_start() {
  local dir=$1
  shift
  mkdir -p "$dir"
  local port
  port=$(free_port)
  SERVICE_URL="http://127.0.0.1:$port"

  # The content root is the working directory: run from src/WebApi to pick up its appsettings.json.
  (
    cd src/WebApi
    export ASPNETCORE_URLS="$SERVICE_URL" \
      API_URL="$SERVICE_URL" \
      ASSETS_DIR="$dir/assets" \
      DATABASE_URL="Data Source=$dir/app.db" \
      LOG_DIR="$dir/logs" \
      Email__PickupDirectory="$dir/mail" \
      JWT_SECRET="$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')" \
      RATE_LIMIT_ENABLED=false
    for setting in "$@"; do export "${setting?}"; done
    exec dotnet bin/Release/net10.0/CleanBackend.WebApi.dll
  ) >"$dir/service.log" 2>&1 &
  SERVICE_PID=$!

  for _ in $(seq 1 240); do
    if curl -fsS "$SERVICE_URL/health/ready" >/dev/null 2>&1; then
      return 0
    fi
    if ! kill -0 "$SERVICE_PID" 2>/dev/null; then
      echo "The service stopped during start-up:" >&2
      cat "$dir/service.log" >&2
      SERVICE_PID=""
      return 1
    fi
    sleep 0.25
  done
  echo "The service did not become ready on $SERVICE_URL:" >&2
  tail -n 50 "$dir/service.log" >&2
  return 1
}

service_stop() {
  if [ -n "$SERVICE_PID" ] && kill -0 "$SERVICE_PID" 2>/dev/null; then
    kill "$SERVICE_PID" 2>/dev/null || true
    wait "$SERVICE_PID" 2>/dev/null || true
  fi
  SERVICE_PID=""
}
