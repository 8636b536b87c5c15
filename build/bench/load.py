"""Runs wrk against the service and the baseline alternately: a warm-up of each, then rounds in which the two take
turns (the order flips every round), so both see the same machine; keeps each round's figures and their medians.
Besides requests per second it records the CPU time each process spent per request (from /proc/PID/stat), which
other load on the machine disturbs much less than throughput.

usage: load.py OUT.json TOKEN ROUNDS SECONDS CONNECTIONS SERVICE_PID BASELINE_PID
               NAME SERVICE_URL BASELINE_URL [NAME SERVICE_URL BASELINE_URL ...]

A side served by several processes (instances behind nginx) names them all, comma-separated ("123,456"): its CPU
time is their sum. BENCH_LOAD_LABELS ("service,baseline") names the two sides in the printed lines.
"""
import json
import os
import re
import subprocess
import sys

from common import median

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
WARMUP_SECONDS = int(os.environ.get("BENCH_WARMUP", "20"))
LABELS = dict(zip(("service", "baseline"), os.environ.get("BENCH_LOAD_LABELS", "service,baseline").split(",")))


def cpu_seconds(pids):
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def wrk(url, token, seconds, connections, pids):
    before = cpu_seconds(pids)
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-H", f"Authorization: Bearer {token}", url]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    cpu = cpu_seconds(pids) - before
    latency = {p: float(v) * UNITS[u] for p, v, u in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)}
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": latency["50"], "p99": latency["99"],
        "requests": requests,
        "cpuMsPerRequest": cpu * 1000 / max(requests, 1),
        "non2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socketErrors": sum(int(x) for x in errors.groups()) if errors else 0,
        "timeouts": int(errors.group(4)) if errors else 0,
    }


def main():
    out_path, token, rounds, seconds, connections, service_pid, baseline_pid, *rest = sys.argv[1:]
    pids = {"service": [int(p) for p in service_pid.split(",")], "baseline": [int(p) for p in baseline_pid.split(",")]}
    rounds, seconds, connections = int(rounds), int(seconds), int(connections)
    pairs = [rest[i:i + 3] for i in range(0, len(rest), 3)]
    results = {}
    for name, service, baseline in pairs:
        # Warm-up: the service has far more code to bring to its optimised tier than the baseline (its CPU per
        # request still falls after 10 s of load), so both get long enough to reach their steady state.
        wrk(service, token, WARMUP_SECONDS, connections, pids["service"])
        wrk(baseline, token, WARMUP_SECONDS, connections, pids["baseline"])
        runs = {"service": [], "baseline": []}
        for r in range(rounds):
            order = [("service", service), ("baseline", baseline)]
            for who, url in order if r % 2 == 0 else reversed(order):
                runs[who].append(wrk(url, token, seconds, connections, pids[who]))
            s, b = runs["service"][-1], runs["baseline"][-1]
            print(f"  {name} round {r + 1}: {LABELS['service']} {s['rps']:.0f} req/s p99 {s['p99']:.1f} ms, "
                  f"{LABELS['baseline']} {b['rps']:.0f} req/s p99 {b['p99']:.1f} ms, ratio {s['rps'] / b['rps']:.2f}; "
                  f"CPU per request {s['cpuMsPerRequest']:.2f} ms vs {b['cpuMsPerRequest']:.2f} ms"
                  + "".join(f"; {LABELS[who]} failed: {run['non2xx']} non-2xx, {run['socketErrors']} socket errors "
                            f"({run['timeouts']} of them wrk's 2 s timeout)"
                            for who, run in (("service", s), ("baseline", b)) if run["non2xx"] + run["socketErrors"]), flush=True)
        summary = {who: {k: median([run[k] for run in v]) for k in ("rps", "p50", "p99", "cpuMsPerRequest")} for who, v in runs.items()}
        summary["ratio"] = median([s["rps"] / b["rps"] for s, b in zip(runs["service"], runs["baseline"])])
        summary["failures"] = sum(run["non2xx"] + run["socketErrors"] for v in runs.values() for run in v)
        summary["rounds"] = runs
        results[name] = summary
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
