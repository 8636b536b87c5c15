"""Cross-instance event delivery. SUBSCRIBERS streams on instance A's /api/events while JOBS jobs are created through
instance B (PARALLEL in flight) and run by B's worker (A's is off), so every event A's subscribers get went
B → Redis → A. Per `completed` event: arrival at the client minus the event's `at`, which B stamps when it publishes
(same machine, same clock). Two more listeners split that path, for when it is slow:
 - one stream on B itself: B's own delivery (in-memory bus → SSE write → client), no Redis;
 - a plain Redis subscriber: B → Redis → a subscriber, without A.
At the end it counts the user's jobs by status, for the whole stage: every job must have completed.

usage: cluster_events.py A_URL B_URL TOKEN REDIS_HOST:PORT OUT.json [JOBS] [SUBSCRIBERS] [PARALLEL]
"""
import asyncio
import json
import sys
import threading
import time

from common import Api, percentile
from generation import Events, server_time

WARMUP_JOBS = 20
STATUSES = ("completed", "failed", "canceled", "queued", "running")


async def resp(reader):
    """One reply in Redis's wire protocol (RESP2): arrays, bulk strings, simple strings and integers."""
    line = (await reader.readline())[:-2]
    kind, rest = line[:1], line[1:]
    if kind == b"*":
        return [await resp(reader) for _ in range(int(rest))]
    if kind == b"$":
        return None if int(rest) < 0 else (await reader.readexactly(int(rest) + 2))[:-2]
    if kind == b"-":
        raise RuntimeError(f"Redis: {rest.decode()}")
    return rest


def completed_events(value):
    """(jobId, at) of the `completed` job events in a Redis message, whatever its envelope and casing."""
    if isinstance(value, dict):
        fields = {k.lower(): v for k, v in value.items()}
        if fields.get("type") == "completed" and "jobid" in fields and "at" in fields:
            yield fields["jobid"], fields["at"]
        for inner in value.values():
            yield from completed_events(inner)


async def redis_tap(address, delays, subscribed):
    # Every channel (psubscribe *): the bench does not depend on the service's channel names.
    host, port = address.rsplit(":", 1)
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(b"*2\r\n$10\r\nPSUBSCRIBE\r\n$1\r\n*\r\n")
    await writer.drain()
    while True:
        reply = await resp(reader)
        now = time.time()
        if reply[0] == b"psubscribe":
            subscribed.set()
        elif reply[0] == b"pmessage":
            try:
                message = json.loads(reply[3])
            except ValueError:
                continue
            for job_id, at in completed_events(message):
                delays[job_id] = (now - server_time(at)) * 1000


async def measure(a_url, b_url, token, redis, jobs, subscribers, parallel):
    on_a = [Events() for _ in range(subscribers)]
    on_b = Events()
    tapped, subscribed = {}, asyncio.Event()
    listeners = [asyncio.create_task(e.run(a_url, token)) for e in on_a]
    listeners.append(asyncio.create_task(on_b.run(b_url, token)))
    listeners.append(asyncio.create_task(redis_tap(redis, tapped, subscribed)))
    await asyncio.wait_for(asyncio.gather(subscribed.wait(), *(e.connected.wait() for e in on_a + [on_b])), 30)
    await asyncio.sleep(0.5)
    local = threading.local()

    def post(i):
        if not hasattr(local, "api"):
            local.api = Api(b_url, token)
        return local.api.json("POST", "/api/jobs", {"prompt": f"three red cubes, cross-instance {i}"}, expect=(202,))["job"]["id"]

    loop = asyncio.get_running_loop()
    slots = asyncio.Semaphore(parallel)
    missing = []

    async def one(i):
        async with slots:
            job_id = await loop.run_in_executor(None, post, i)
            try:
                await asyncio.wait_for(asyncio.gather(*(e.wait(job_id, "completed") for e in on_a + [on_b])), 60)
            except asyncio.TimeoutError:
                missing.append(job_id)
            return job_id

    # Warm-up, not counted: the streams send their headers with their first event, and B may have just started.
    await asyncio.gather(*(one(i) for i in range(WARMUP_JOBS)))
    await asyncio.wait_for(asyncio.gather(*(e.ready.wait() for e in on_a + [on_b])), 30)
    missing.clear()
    measured = await asyncio.gather(*(one(i) for i in range(jobs)))
    await asyncio.sleep(0.5)
    for listener in listeners:
        listener.cancel()

    cross = [e.delays[(j, "completed")] for e in on_a for j in measured if (j, "completed") in e.delays]
    own = [on_b.delays[(j, "completed")] for j in measured if (j, "completed") in on_b.delays]
    hop = [tapped[j] for j in measured if j in tapped]
    api = Api(b_url, token)
    census = {s: api.json("GET", f"/api/jobs?page=1&limit=1&status={s}")["total"] for s in STATUSES}
    return {
        "jobs": jobs, "subscribers": subscribers, "parallel": parallel, "warmupJobs": WARMUP_JOBS,
        "crossP50": percentile(cross, 50), "crossP99": percentile(cross, 99), "crossMax": max(cross),
        "crossEvents": len(cross), "missingJobs": len(missing),
        "localP50": percentile(own, 50), "localP99": percentile(own, 99),
        "redisP50": percentile(hop, 50), "redisP99": percentile(hop, 99), "redisEvents": len(hop),
        "jobsByStatus": census,
    }


def main():
    a_url, b_url, token, redis, out_path = sys.argv[1:6]
    jobs = int(sys.argv[6]) if len(sys.argv) > 6 else 120
    subscribers = int(sys.argv[7]) if len(sys.argv) > 7 else 4
    parallel = int(sys.argv[8]) if len(sys.argv) > 8 else 4
    r = asyncio.run(measure(a_url, b_url, token, redis, jobs, subscribers, parallel))
    print(f"  {jobs} jobs through B, {parallel} at a time, {subscribers} subscribers on A: `completed` on A "
          f"p50 {r['crossP50']:.1f} ms, p99 {r['crossP99']:.1f} ms, max {r['crossMax']:.1f} ms ({r['missingJobs']} jobs missed); "
          f"on B itself p50 {r['localP50']:.1f} ms, p99 {r['localP99']:.1f} ms; "
          f"at a Redis subscriber p50 {r['redisP50']:.1f} ms, p99 {r['redisP99']:.1f} ms")
    print("  the user's jobs by status: " + ", ".join(f"{n} {s}" for s, n in r["jobsByStatus"].items()))
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(r, f, indent=1)


if __name__ == "__main__":
    main()
