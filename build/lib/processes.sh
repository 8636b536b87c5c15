# Sourced by the build scripts: free loopback ports, and stopping what a script started.
#   free_port       prints a TCP port free on 127.0.0.1 now
#   stop_started    stops every process whose id the script added to its array `pids`, and waits for each
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

stop_started() {
  local pid
  for pid in "${pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
}
