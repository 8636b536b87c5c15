"""Small helpers shared by the bench scripts (standard library only)."""
import http.client
import json
import statistics
import urllib.parse


class Api:
    """A keep-alive JSON client for one base URL; not thread-safe (one per thread)."""

    def __init__(self, base, token=None):
        url = urllib.parse.urlsplit(base)
        self.host, self.port = url.hostname, url.port
        self.token = token
        self.conn = None

    def request(self, method, path, body=None, headers=None, raw=None):
        all_headers = {"Accept": "application/json"}
        if self.token:
            all_headers["Authorization"] = "Bearer " + self.token
        if body is not None:
            raw = json.dumps(body).encode()
            all_headers["Content-Type"] = "application/json"
        all_headers.update(headers or {})
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
            try:
                self.conn.request(method, path, body=raw, headers=all_headers)
                response = self.conn.getresponse()
                data = response.read()
                return response.status, data
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def json(self, method, path, body=None, expect=(200,), headers=None, raw=None):
        status, data = self.request(method, path, body, headers, raw)
        if status not in expect:
            raise RuntimeError(f"{method} {path}: {status} {data[:300]!r}")
        return json.loads(data) if data else None


def percentile(values, p):
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def median(values):
    return statistics.median(values)


def rss_kb(pid):
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")
