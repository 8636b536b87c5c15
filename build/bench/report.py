"""Turns the bench's results into the table (figure, measured, budget, verdict), prints it, and writes it into
docs/performance.md between the bench markers, keeping the rest of the file (the hand-written history).

usage: report.py RESULTS_DIR OUT.md
"""
import datetime
import json
import os
import platform
import re
import subprocess
import sys

from common import median

BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def load(results, name):
    with open(os.path.join(results, name), encoding="utf-8") as f:
        return json.load(f)


def run(*command):
    try:
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def machine():
    cpu = "?"
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="ascii") as f:
        ram = int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1)) / 1024 / 1024
    os_name = "?"
    if os.path.exists("/etc/os-release"):
        with open("/etc/os-release", encoding="utf-8") as f:
            os_name = re.search(r'PRETTY_NAME="([^"]+)"', f.read()).group(1)
    runtime = next((line.split()[1] for line in run("dotnet", "--list-runtimes").splitlines()
                    if line.startswith("Microsoft.AspNetCore.App")), "?")
    wrk = run("sh", "-c", "wrk -v 2>&1 | head -1").split(" [")[0]
    return (f"{os.cpu_count()} × {cpu}, {ram:.1f} GiB RAM, {os_name} (Linux {platform.release()}), "
            f".NET SDK {run('dotnet', '--version')} / ASP.NET Core {runtime}, {wrk}")


def verdict(ok):
    return "meets" if ok else "**misses**"


def cluster_rows(results):
    """The cluster stage's rows (build/bench/cluster.sh) and notes; "not measured" when it was skipped or failed."""
    labels = [
        ("Two instances behind nginx vs one: GET /api/chats?page=1&limit=20", "no request fails"),
        ("Two instances behind nginx vs one: GET /api/jobs?page=1&limit=20", "no request fails"),
        ("Two instances behind nginx vs one: POST /api/generate → completed (100 jobs, 10 at a time)", "every job completes"),
        ("Cross-instance: `completed` of a job run on B → SSE subscriber on A", "p99 ≤ 100 ms"),
    ]
    path = os.path.join(results, "cluster", "meta.json")
    meta = load(results, "cluster/meta.json") if os.path.exists(path) else {"skipped": "the stage failed (see the bench's output)"}
    if meta["skipped"]:
        rows = [(label, f"not measured: {meta['skipped']}", budget, "not measured") for label, budget in labels]
        return rows, [f"- Cluster: not measured: {meta['skipped']}."]

    lists, events = load(results, "cluster/lists.json"), load(results, "cluster/events.json")
    two, one = load(results, "cluster/generation-two.json"), load(results, "cluster/generation-one.json")
    jobs = events["jobsByStatus"]
    unfinished = sum(n for status, n in jobs.items() if status != "completed") + events["missingJobs"]
    rows = []
    for (label, budget), name in zip(labels, ("chats", "jobs")):
        r = lists[name]
        # Medians of the rounds, and the median of each round's ratio: say the rounds' ratios, as they may disagree.
        ratios = ", ".join(f"{s['rps'] / b['rps']:.2f}" for s, b in zip(r["rounds"]["service"], r["rounds"]["baseline"]))
        rows.append((label, f"{r['service']['rps']:,.0f} req/s = **{r['ratio']:.2f}×** one instance ({r['baseline']['rps']:,.0f} req/s; rounds {ratios}); "
                     f"p99 {r['service']['p99']:.0f} ms vs {r['baseline']['p99']:.0f} ms; CPU per request {r['service']['cpuMsPerRequest']:.2f} ms (A + B) "
                     f"vs {r['baseline']['cpuMsPerRequest']:.2f} ms; **{r['failures']}** failed", budget, verdict(r["failures"] == 0)))
    label, budget = labels[2]
    rows.append((label, f"{two['jobsPerSecond']:.0f} jobs/s = **{two['jobsPerSecond'] / one['jobsPerSecond']:.2f}×** one instance "
                 f"({one['jobsPerSecond']:.0f} jobs/s); end to end p50 {two['e2eP50']:.0f} ms vs {one['e2eP50']:.0f} ms; "
                 f"**{jobs['completed']:,} of {sum(jobs.values()):,}** jobs of the stage completed", budget, verdict(unfinished == 0)))
    label, budget = labels[3]
    rows.append((f"{label} ({events['jobs']} jobs, {events['subscribers']} subscribers)",
                 f"p99 **{events['crossP99']:.0f} ms** (p50 {events['crossP50']:.0f} ms, max {events['crossMax']:.0f} ms; "
                 f"{events['missingJobs']} jobs not heard)", budget, verdict(events["crossP99"] <= 100 and events["missingJobs"] == 0)))
    setup = (f"- Cluster (`build/bench/cluster.sh`, {meta['stageSeconds'] / 60:.1f} minutes): a throwaway PostgreSQL {meta['postgres']} "
             f"(fsync off) and Redis {meta['redis']}, instances A and B (`DATABASE_PROVIDER=postgres`, `REDIS_URL`, one `ASSETS_DIR`, "
             f"connection pools of 45) and nginx {meta['nginx'].split('/')[-1]} on `deploy/nginx/cleanbackend.conf` (upstreams and listen "
             "port replaced; one worker per core), all on the same cores as the bench, so a second instance adds no CPU here: the "
             "ratios show what spreading the work costs, not what more machines would bring. Same data as above, seeded through nginx. "
             f"Lists: `wrk -c{meta['connections']}`, a {meta['warmupSeconds']} s warm-up of each front and as long straight at B (which only "
             f"one front reaches), then {meta['rounds']} rounds of {meta['seconds']} s through the front over A and B and the front over A "
             "alone, in turns; CPU per request is A's and B's together; a failure "
             "is a non-2xx answer or a socket error (wrk's 2 s timeout included). Generation: "
             f"{two['jobsPerSecond']:.1f} vs {one['jobsPerSecond']:.1f} jobs/s, end to end p95 {two['e2eP95']:.0f} vs {one['e2eP95']:.0f} ms, "
             f"queue pickup p50 {two['pickupP50']:.0f} vs {one['pickupP50']:.0f} ms, the generator p50 {two['runP50']:.0f} vs "
             f"{one['runP50']:.0f} ms; on these shared cores each of the two instances has half the built-in generator's slots "
             "(`Jobs__Concurrency`), so together they run as many jobs at once as one instance alone; for the one-instance run B is "
             "stopped (its worker hears of every queued job and would take some) and A restarted with all the slots; each run "
             "follows 30 warm-up jobs. Jobs of the stage by status: " + ", ".join(f"{n:,} {status}" for status, n in jobs.items()) + ".")
    delivery = (f"- Cross-instance events: A restarted with `Jobs__Enabled=false`, {events['jobs']} jobs created through B, "
                f"{events['parallel']} at a time, after {events['warmupJobs']} not counted; arrival at the client minus the event's `at`, "
                "stamped by B when it published it. The same events on a stream on B itself: "
                f"p50 {events['localP50']:.1f} ms, p99 {events['localP99']:.1f} ms; at a plain Redis subscriber: "
                f"p50 {events['redisP50']:.1f} ms, p99 {events['redisP99']:.1f} ms.")
    return rows, [setup, delivery]


def main():
    results, out_path = sys.argv[1:3]
    lists, downloads = load(results, "lists.json"), load(results, "downloads.json")
    generation, sse, seed = load(results, "generation.json"), load(results, "sse.json"), load(results, "seed.json")
    compare, meta = load(results, "compare.json"), load(results, "meta.json")
    starts = meta["starts"]
    ready = median([s["readyMs"] for s in starts])
    idle = median([s["idleRssKb"] for s in starts]) / 1024

    rows = []
    for name, label in (("chats", "GET /api/chats?page=1&limit=20"), ("jobs", "GET /api/jobs?page=1&limit=20")):
        r = lists[name]
        rows.append((f"{label}: throughput", f"{r['service']['rps']:,.0f} req/s = **{r['ratio']:.2f}×** baseline ({r['baseline']['rps']:,.0f} req/s); "
                     f"CPU per request {r['service']['cpuMsPerRequest']:.2f} ms vs {r['baseline']['cpuMsPerRequest']:.2f} ms",
                     "≥ 0.8× baseline", verdict(r["ratio"] >= 0.8)))
        rows.append((f"{label}: p99 at {meta['connections']} connections", f"**{r['service']['p99']:.0f} ms** (p50 {r['service']['p50']:.0f} ms; baseline p99 {r['baseline']['p99']:.0f} ms)",
                     "≤ 50 ms", verdict(r["service"]["p99"] <= 50)))
    rows.append((f"POST /api/generate → completed ({generation['jobs']} jobs, {generation['parallel']} at a time)",
                 f"p50 **{generation['e2eP50']:.0f} ms**, p95 {generation['e2eP95']:.0f} ms", "p50 ≤ 300 ms", verdict(generation["e2eP50"] <= 300)))
    rows.append(("Queue pickup (createdAt → startedAt), same jobs",
                 f"p50 **{generation['pickupP50']:.0f} ms**, p95 {generation['pickupP95']:.0f} ms (one job at a time: p50 {generation['lonePickupP50']:.1f} ms)",
                 "p50 ≤ 20 ms", verdict(generation["pickupP50"] <= 20)))
    rows.append((f"SSE: {sse['subscribers']:,} subscribers on /api/events, extra service memory",
                 f"**{sse['extraMb']:.0f} MB** (RSS {sse['rssBeforeMb']:.0f} → {max(sse['rssConnectedMb'], sse['rssAfterMb']):.0f} MB)", "≤ 200 MB", verdict(sse["extraMb"] <= 200)))
    rows.append((f"SSE: one event (`completed`) to all {sse['subscribers']:,} subscribers",
                 f"p99 **{sse['completedP99']:.0f} ms** (p50 {sse['completedP50']:.0f} ms, last one {sse['completedMax']:.0f} ms)", "p99 ≤ 100 ms", verdict(sse["completedP99"] <= 100)))
    rows.append((f"GET /api/assets/{{id}}/download, {seed['downloadBytes'] / 1048576:.1f} MB glb, {meta['downloadConnections']} connections",
                 f"{downloads['download']['service']['rps']:,.0f} req/s = **{downloads['download']['ratio']:.2f}×** static files ({downloads['download']['baseline']['rps']:,.0f} req/s)",
                 "≥ 0.8× static files", verdict(downloads["download"]["ratio"] >= 0.8)))
    rows.append(("Process start → /health/ready 200 (seeded database)", f"**{ready / 1000:.2f} s** (median of {len(starts)} starts)", "≤ 3 s", verdict(ready <= 3000)))
    rows.append(("Resident memory when idle (5 s after ready)", f"**{idle:.0f} MB**", "≤ 150 MB", verdict(idle <= 150)))
    more_rows, cluster_notes = cluster_rows(results)
    rows += more_rows

    table = ["| Figure | Measured | Budget | Verdict |", "|---|---|---|---|"]
    table += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]

    starts_text = ", ".join("%.2f s / %.0f MB" % (s["readyMs"] / 1000, s["idleRssKb"] / 1024) for s in starts)
    notes = [
        f"- Data: one user with {seed['chats']} chats ({seed['messages']} messages), {seed['jobs']} completed jobs with "
        f"{seed['assets']} assets, made through the public API; SQLite; `RATE_LIMIT_ENABLED=false`; built-in generator.",
        f"- Lists: `wrk -t2 -c{meta['connections']} -d{meta['seconds']}s --latency`, a {meta['warmupSeconds']} s warm-up each, then {meta['rounds']} rounds with the service and the "
        "baseline taking turns; medians of the rounds, the ratio is the median of each round's ratio. CPU per request is "
        "the process's CPU time (user + system, /proc/PID/stat) over the requests wrk completed. The baseline "
        "(`build/bench/Baseline`) validates the same JWT, runs one SQL query on a copy of the same database and writes the "
        "same JSON: " + "; ".join(f"`{p}` {v['verdict']} ({v['bytes']:,} B)" for p, v in compare.items()) + ".",
        f"- Downloads: `wrk -c{meta['downloadConnections']}` on the service's authenticated download and on the same file served by "
        "`UseStaticFiles` in the baseline.",
        f"- Generation: {generation['jobsPerSecond']:.1f} jobs/s; the generator itself took p50 {generation['runP50']:.0f} ms a job "
        f"(startedAt → completedAt); one job at a time: end to end p50 {generation['loneE2eP50']:.0f} ms.",
        f"- SSE: every event of a job reached every subscriber (p99 over all {sse['rounds']} jobs' events: {sse['allP99']:.0f} ms); "
        f"{sse['dropped']} streams dropped.",
        f"- Start-up on an empty database (migrations, first run): {meta['firstReadyMs'] / 1000:.2f} s. Starts with the seeded "
        f"database: {starts_text}. "
        f"Resident memory after the whole bench: {meta['finalRssKb'] / 1024:.0f} MB.",
        f"- Failures: {lists['chats']['failures'] + lists['jobs']['failures'] + downloads['download']['failures']} non-2xx answers or socket errors under load.",
        *cluster_notes,
    ]

    now = datetime.datetime.now(datetime.timezone.utc)
    section = "\n".join([
        BEGIN,
        "## Latest run",
        "",
        f"{now:%Y-%m-%d %H:%M} UTC, commit `{meta['commit']}`, by `build/bench.sh` in {meta['benchSeconds'] / 60:.1f} minutes.",
        "",
        f"Machine: {machine()}. The machine is shared (other builds may run at the same time), so absolute "
        "figures wobble from run to run; the ratios compare two things measured in the same minutes.",
        "",
        *table,
        "",
        *notes,
        END,
    ])
    print("\n".join(table))

    if os.path.exists(out_path):
        with open(out_path, encoding="utf-8") as f:
            text = f.read()
    else:
        text = ""
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + section + text[text.index(END) + len(END):]
    else:
        text = ("# Performance\n\n`build/bench.sh` measures the service against its budgets and writes the section below; "
                "the rest of this file is kept as it is.\n\n" + section + "\n" + text)
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"\nWritten to {out_path}.")


if __name__ == "__main__":
    main()
