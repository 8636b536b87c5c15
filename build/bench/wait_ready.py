"""Waits for URL to answer 200 and prints the milliseconds since START_NS (a `date +%s%N` taken just before the
process was started). Fails when PID ends first or after 120 s.

usage: wait_ready.py URL START_NS PID
"""
import http.client
import sys
import time
import urllib.parse


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False


def main():
    url, start_ns, pid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    parts = urllib.parse.urlsplit(url)
    while True:
        try:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
            conn.request("GET", parts.path)
            if conn.getresponse().status == 200:
                print(f"{(time.time_ns() - start_ns) / 1e6:.0f}")
                return
        except OSError:
            pass
        finally:
            conn.close()
        if not alive(pid) or (time.time_ns() - start_ns) > 120e9:
            sys.exit(f"{url} did not answer 200 (process {pid} {'ended' if not alive(pid) else 'still starting'})")
        time.sleep(0.01)


if __name__ == "__main__":
    main()
