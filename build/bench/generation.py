"""Generation latency with the built-in generator: JOBS requests to POST /api/generate, PARALLEL in flight at a time
(a new one goes out as soon as one completes). One /api/events stream tells when each job completes.

 - end to end: from just before the POST is sent to the arrival of the job's `completed` event;
 - queue pickup: the job's startedAt - createdAt (the service's own clock);
 - lone pickup: the same for jobs sent one at a time with nothing else queued (the queue's own reaction time).

usage: generation.py API_URL TOKEN CHAT_ID OUT.json [JOBS] [PARALLEL]
"""
import asyncio
import json
import sys
import threading
import time
import urllib.parse
from datetime import datetime, timezone

from common import Api, median, percentile

PROMPTS = ["three red cubes", "a snowman", "a large blue torus", "two green spheres", "a small yellow cone",
           "a wooden chair", "four shiny cylinders", "a tall pyramid", "a red boat", "a green tree"]


def server_time(value):
    # 2026-11-22T07:34:37.55094Z: up to 7 fraction digits, which fromisoformat (3.11) takes only as 3 or 6.
    head, _, fraction = value.rstrip("Z").partition(".")
    seconds = datetime.fromisoformat(head).replace(tzinfo=timezone.utc).timestamp()
    return seconds + (float("0." + fraction) if fraction else 0.0)


class Events:
    """Reads /api/events (chunked SSE) and records when each job's events arrive, and how long after their `at`."""

    def __init__(self):
        self.arrivals = {}
        self.delays = {}
        self.waiters = {}
        self.connected = asyncio.Event()
        self.ready = asyncio.Event()

    async def run(self, api_url, token):
        url = urllib.parse.urlsplit(api_url)
        reader, writer = await asyncio.open_connection(url.hostname, url.port)
        writer.write((f"GET /api/events HTTP/1.1\r\nHost: {url.netloc}\r\nAuthorization: Bearer {token}\r\n"
                      "Accept: text/event-stream\r\n\r\n").encode())
        await writer.drain()
        self.connected.set()
        # The stream's headers come with its first event.
        status = await reader.readline()
        if b" 200 " not in status:
            raise RuntimeError(f"/api/events: {status!r}")
        while (await reader.readline()) not in (b"\r\n", b""):
            pass
        self.ready.set()
        text = ""
        while True:
            size = int((await reader.readline()).strip() or b"0", 16)
            chunk = await reader.readexactly(size + 2)
            now = time.time()
            text += chunk[:-2].decode()
            while "\n\n" in text:
                block, text = text.split("\n\n", 1)
                fields = dict(line.split(": ", 1) for line in block.split("\n") if ": " in line)
                if "data" in fields:
                    data = json.loads(fields["data"])
                    key = (data["jobId"], data["type"])
                    self.arrivals[key] = now
                    # The event's `at` is stamped where it was published: same machine, same clock.
                    self.delays[key] = (now - server_time(data["at"])) * 1000
                    if key in self.waiters:
                        self.waiters.pop(key).set_result(now)

    async def wait(self, job_id, kind):
        key = (job_id, kind)
        if key in self.arrivals:
            return self.arrivals[key]
        future = self.waiters.setdefault(key, asyncio.get_running_loop().create_future())
        return await future


async def measure(api_url, token, chat_id, jobs, parallel):
    events = Events()
    listener = asyncio.create_task(events.run(api_url, token))
    await events.connected.wait()
    await asyncio.sleep(0.5)
    local = threading.local()

    def post(body):
        if not hasattr(local, "api"):
            local.api = Api(api_url, token)
        sent = time.time()
        job = local.api.json("POST", "/api/generate", body, expect=(202,))["job"]
        return sent, job["id"]

    loop = asyncio.get_running_loop()
    slots = asyncio.Semaphore(parallel)

    async def one(i):
        async with slots:
            body = {"prompt": PROMPTS[i % len(PROMPTS)], "chatId": chat_id}
            sent, job_id = await loop.run_in_executor(None, post, body)
            done = await asyncio.wait_for(events.wait(job_id, "completed"), 120)
            return job_id, (done - sent) * 1000

    # Warm-up: a few jobs, not counted (the first one also opens the stream).
    primer = asyncio.create_task(one(0))
    await asyncio.wait_for(events.ready.wait(), 60)
    await primer
    await asyncio.gather(*(one(i) for i in range(parallel)))
    started = time.time()
    measured = await asyncio.gather(*(one(i) for i in range(jobs)))
    wall = time.time() - started

    lone = []
    for i in range(10):
        lone.append(await one(i))
    listener.cancel()

    api = Api(api_url, token)

    def pickup(job_id):
        job = api.json("GET", f"/api/jobs/{job_id}")
        if job["status"] != "completed":
            raise RuntimeError(f"job {job_id} is {job['status']}")
        return (server_time(job["startedAt"]) - server_time(job["createdAt"])) * 1000, job["durationMs"]

    details = [pickup(job_id) for job_id, _ in measured]
    lone_pickups = [pickup(job_id)[0] for job_id, _ in lone]
    e2e = [ms for _, ms in measured]
    return {
        "jobs": jobs, "parallel": parallel, "wallSeconds": wall, "jobsPerSecond": jobs / wall,
        "e2eP50": percentile(e2e, 50), "e2eP95": percentile(e2e, 95),
        "pickupP50": percentile([p for p, _ in details], 50), "pickupP95": percentile([p for p, _ in details], 95),
        "runP50": percentile([d for _, d in details], 50),
        "lonePickupP50": median(lone_pickups), "loneE2eP50": median([ms for _, ms in lone]),
    }


def main():
    api_url, token, chat_id, out_path = sys.argv[1:5]
    jobs = int(sys.argv[5]) if len(sys.argv) > 5 else 100
    parallel = int(sys.argv[6]) if len(sys.argv) > 6 else 10
    result = asyncio.run(measure(api_url, token, chat_id, jobs, parallel))
    print(f"  {jobs} jobs, {parallel} at a time: {result['jobsPerSecond']:.1f} jobs/s; end to end p50 {result['e2eP50']:.0f} ms, "
          f"p95 {result['e2eP95']:.0f} ms; queue pickup p50 {result['pickupP50']:.0f} ms, p95 {result['pickupP95']:.0f} ms; "
          f"generation p50 {result['runP50']:.0f} ms; one at a time: pickup p50 {result['lonePickupP50']:.1f} ms, "
          f"end to end p50 {result['loneE2eP50']:.0f} ms")
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
