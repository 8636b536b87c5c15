// SSE fan-out: COUNT subscribers on /api/events (one user), the service's extra resident memory, and how long one
// job event takes to reach every subscriber (arrival here minus the event's own `at`; same machine, same clock).
//
// usage: node sse.mjs API_URL TOKEN SERVICE_PID OUT.json [COUNT] [ROUNDS]
import fs from 'node:fs';
import net from 'node:net';
import http from 'node:http';
import { performance } from 'node:perf_hooks';

const [apiUrl, token, pid, outPath] = process.argv.slice(2, 6);
const count = Number(process.argv[6] ?? 2000);
const rounds = Number(process.argv[7] ?? 5);
const url = new URL(apiUrl);
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rssKb = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'ascii'))[1]);

// "2026-11-22T07:34:37.5765172Z" to epoch milliseconds with the sub-millisecond digits kept.
function serverTime(at) {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(at);
  return Date.parse(`${m[1]}Z`) + (m[2] ? Number(`0.${m[2]}`) * 1000 : 0);
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((sorted.length * p) / 100)) - 1];
}

class Subscriber {
  constructor() {
    this.events = [];
    this.pending = [];
    this.raw = Buffer.alloc(0);
    this.headersDone = false;
    this.text = '';
    this.closed = false;
  }

  open() {
    return new Promise((resolve, reject) => {
      this.socket = net.connect({ host: url.hostname, port: Number(url.port) }, () => {
        this.socket.write(`GET /api/events HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${token}\r\n` +
          'Accept: text/event-stream\r\n\r\n');
        resolve();
      });
      this.socket.setNoDelay(true);
      // Only note the time here: parsing later keeps the other sockets' callbacks from waiting on this one.
      this.socket.on('data', (chunk) => this.pending.push(chunk, now()));
      this.socket.on('error', (e) => { this.closed = true; reject(e); });
      this.socket.on('close', () => { this.closed = true; });
    });
  }

  get parsed() {
    for (let i = 0; i < this.pending.length; i += 2) this.onData(this.pending[i], this.pending[i + 1]);
    this.pending.length = 0;
    return this.events;
  }

  // HTTP/1.1 chunked framing, then SSE blocks separated by a blank line.
  onData(chunk, arrival) {
    this.raw = Buffer.concat([this.raw, chunk]);
    if (!this.headersDone) {
      const end = this.raw.indexOf('\r\n\r\n');
      if (end < 0) return;
      const status = this.raw.subarray(0, this.raw.indexOf('\r\n')).toString();
      if (!status.includes(' 200 ')) throw new Error(`/api/events: ${status}`);
      this.headersDone = true;
      this.raw = this.raw.subarray(end + 4);
    }
    for (;;) {
      const line = this.raw.indexOf('\r\n');
      if (line < 0) return;
      const size = parseInt(this.raw.subarray(0, line).toString(), 16);
      if (this.raw.length < line + 2 + size + 2) return;
      this.text += this.raw.subarray(line + 2, line + 2 + size).toString();
      this.raw = this.raw.subarray(line + 2 + size + 2);
      let split;
      while ((split = this.text.indexOf('\n\n')) >= 0) {
        const block = this.text.slice(0, split);
        this.text = this.text.slice(split + 2);
        const data = block.split('\n').find((l) => l.startsWith('data: '));
        if (data) {
          const event = JSON.parse(data.slice(6));
          this.events.push({ type: event.type, jobId: event.jobId, latency: arrival - serverTime(event.at) });
        }
      }
    }
  }
}

function postJob(prompt) {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ prompt });
    const req = http.request({
      host: url.hostname, port: url.port, path: '/api/jobs', method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => (res.statusCode === 202 ? resolve(JSON.parse(text).job.id) : reject(new Error(`POST /api/jobs: ${res.statusCode} ${text}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

// Parsing happens only after a pause, never while events are arriving: it would hold up the arrival callbacks.
async function waitFor(subscribers, predicate, what, ms = 120000) {
  const until = Date.now() + ms;
  await sleep(1500);
  for (;;) {
    const missing = subscribers.filter((s) => !predicate(s)).length;
    if (missing === 0) return;
    if (Date.now() > until) throw new Error(`${what}: ${missing} of ${subscribers.length} subscribers still waiting`);
    await sleep(500);
  }
}

const rssBefore = rssKb();
const subscribers = Array.from({ length: count }, () => new Subscriber());
// Connect in batches, so the listen backlog is not what is being measured.
for (let i = 0; i < count; i += 100) {
  await Promise.all(subscribers.slice(i, i + 100).map((s) => s.open()));
}
await sleep(1000);

// The streams send their headers with their first event: a first job opens them all.
const primer = await postJob('a small primer cube');
await waitFor(subscribers, (s) => s.parsed.some((e) => e.jobId === primer && e.type === 'completed'), 'primer');
await sleep(1000);
const rssConnected = rssKb();

const results = [];
for (let r = 0; r < rounds; r++) {
  const job = await postJob(`three red cubes round ${r}`);
  await waitFor(subscribers, (s) => s.parsed.some((e) => e.jobId === job && e.type === 'completed'), `round ${r + 1}`);
  const mine = subscribers.flatMap((s) => s.parsed.filter((e) => e.jobId === job));
  const completed = mine.filter((e) => e.type === 'completed').map((e) => e.latency);
  const started = mine.filter((e) => e.type === 'started').map((e) => e.latency);
  const all = mine.map((e) => e.latency);
  results.push({
    events: mine.length / count,
    completedP50: percentile(completed, 50), completedP99: percentile(completed, 99), completedMax: Math.max(...completed),
    startedP99: started.length ? percentile(started, 99) : null,
    allP99: percentile(all, 99), allMax: Math.max(...all),
  });
  const last = results.at(-1);
  console.log(`  round ${r + 1}: ${last.events.toFixed(0)} events to each of ${count}; completed p50 ${last.completedP50.toFixed(1)} ms, ` +
    `p99 ${last.completedP99.toFixed(1)} ms, max ${last.completedMax.toFixed(1)} ms; every event p99 ${last.allP99.toFixed(1)} ms`);
  await sleep(500);
}
const rssAfter = rssKb();
const dropped = subscribers.filter((s) => s.closed).length;
for (const s of subscribers) s.socket.destroy();

const median = (values) => percentile(values, 50);
const summary = {
  subscribers: count, rounds, dropped,
  rssBeforeMb: rssBefore / 1024, rssConnectedMb: rssConnected / 1024, rssAfterMb: rssAfter / 1024,
  extraMb: (Math.max(rssConnected, rssAfter) - rssBefore) / 1024,
  completedP50: median(results.map((x) => x.completedP50)),
  completedP99: median(results.map((x) => x.completedP99)),
  completedMax: median(results.map((x) => x.completedMax)),
  allP99: median(results.map((x) => x.allP99)),
  rounds_: results,
};
console.log(`  RSS ${summary.rssBeforeMb.toFixed(0)} MB before, ${summary.rssConnectedMb.toFixed(0)} MB with ${count} subscribers, ` +
  `${summary.rssAfterMb.toFixed(0)} MB after ${rounds} jobs; ${dropped} streams dropped`);
fs.writeFileSync(outPath, JSON.stringify(summary, null, 1));
