"""Checks once that the baseline answers what the service answers: same status and the same body bytes, up to the
expiry and signature of signed asset links (they name the second they were made in).

usage: compare.py SERVICE_URL BASELINE_URL TOKEN OUT.json PATH...
"""
import json
import re
import sys

from common import Api

SIGNED = re.compile(rb"exp=\d+&sig=[A-Za-z0-9_-]+")


def main():
    service_url, baseline_url, token, out_path, *paths = sys.argv[1:]
    service, baseline = Api(service_url, token), Api(baseline_url, token)
    results = {}
    ok = True
    for path in paths:
        s_status, s_body = service.request("GET", path)
        b_status, b_body = baseline.request("GET", path)
        exact = s_status == b_status and s_body == b_body
        masked = s_status == b_status and SIGNED.sub(b"exp=E&sig=S", s_body) == SIGNED.sub(b"exp=E&sig=S", b_body)
        items = len(json.loads(s_body)["items"]) if s_status == 200 else 0
        verdict = "identical bytes" if exact else "identical up to link expiries" if masked else "DIFFERENT"
        print(f"  {path}: service {s_status} {len(s_body)} B, baseline {b_status} {len(b_body)} B, {items} items: {verdict}")
        if not masked:
            ok = False
            at = next((i for i, (a, b) in enumerate(zip(s_body, b_body)) if a != b), min(len(s_body), len(b_body)))
            print(f"    service:  ...{s_body[max(0, at - 80):at + 80]!r}")
            print(f"    baseline: ...{b_body[max(0, at - 80):at + 80]!r}")
        results[path] = {"verdict": verdict, "bytes": len(s_body), "items": items}
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(results, f)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
