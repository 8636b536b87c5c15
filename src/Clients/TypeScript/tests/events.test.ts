import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { CleanBackend, type LiveJobEvent } from "../src/index.js";
import { json, jobEvent, openStream, problem, serve, type TestServer } from "./server.js";

let server: TestServer | undefined;
afterEach(() => server?.close());

// Short waits between reconnections; and a deadline, so a stream that never ends fails the test instead of hanging it.
const quick = () => ({ retryMs: 5, maxRetryMs: 20, signal: AbortSignal.timeout(5000) });
const signedIn = { tokens: { accessToken: "a1", refreshToken: "r1" } };

async function collect(events: AsyncIterable<LiveJobEvent>): Promise<Array<[string, number, string]>> {
  const seen: Array<[string, number, string]> = [];
  for await (const e of events) seen.push([e.type, e.progress, e.eventId]);
  return seen;
}

const streamRequests = (service: TestServer) =>
  service.received.filter((r) => r.path.endsWith("/events")).map((r) => [r.headers["last-event-id"], r.headers.authorization]);

describe("job events", { timeout: 10_000 }, () => {
  it("reconnects after a dropped connection with Last-Event-ID and the token, and ends after the final event", async () => {
    let connections = 0;
    server = await serve((_, response) => {
      openStream(response);
      if (++connections === 1) {
        jobEvent(response, "100", "queued", 0);
        jobEvent(response, "200", "progress", 40);
        setTimeout(() => response.socket?.destroy(), 20);
      } else {
        // Stays open: the iteration must end on the final event itself.
        jobEvent(response, "300", "completed", 100);
      }
    });
    const sdk = new CleanBackend({ baseUrl: server.baseUrl, ...signedIn });
    let opened = 0;

    const seen = await collect(sdk.jobEvents("job-1", { ...quick(), onOpen: () => opened++ }));

    assert.deepEqual(seen, [["queued", 0, "100"], ["progress", 40, "200"], ["completed", 100, "300"]]);
    assert.equal(opened, 2);
    assert.deepEqual(streamRequests(server), [[undefined, "Bearer a1"], ["200", "Bearer a1"]]);
    assert.equal(server.received[0].path, "/api/jobs/job-1/events");
  });

  it("stops when the service answers 204 to a reconnect, and starts from a saved id", async () => {
    server = await serve((request, response) => {
      if (request.headers["last-event-id"] === "500") {
        response.writeHead(204);
        return void response.end();
      }
      openStream(response);
      jobEvent(response, "500", "progress", 90);
      response.end();
    });
    const sdk = new CleanBackend({ baseUrl: server.baseUrl, ...signedIn });

    const seen = await collect(sdk.jobEvents("job-1", { ...quick(), lastEventId: "400" }));

    assert.deepEqual(seen, [["progress", 90, "500"]]);
    assert.deepEqual(streamRequests(server), [["400", "Bearer a1"], ["500", "Bearer a1"]]);
  });

  it("tries again after a 503, refreshes an expired token, and throws what cannot be fixed by retrying", async () => {
    let streams = 0;
    server = await serve((request, response) => {
      if (request.path === "/api/auth/refresh") return json(response, 200, { ok: true, token: "a2", refreshToken: "r2", expiresIn: 900 });
      if (request.path === "/api/jobs/missing/events") return problem(response, 404, "Job not found");
      if (++streams === 1) return problem(response, 503, "Service unavailable");
      if (request.headers.authorization !== "Bearer a2") return problem(response, 401, "Unauthorized");
      openStream(response);
      jobEvent(response, "700", "failed", 30);
    });
    const sdk = new CleanBackend({ baseUrl: server.baseUrl, ...signedIn });

    const seen = await collect(sdk.jobEvents("job-1", quick()));
    const missing = await collect(sdk.jobEvents("missing", quick())).then(
      () => "no error",
      (e: { status: number; detail: string }) => [e.status, e.detail],
    );

    assert.deepEqual(seen, [["failed", 30, "700"]]);
    assert.deepEqual(missing, [404, "Job not found"]);
    assert.deepEqual(
      server.received.map((r) => [r.path, r.headers.authorization]),
      [
        ["/api/jobs/job-1/events", "Bearer a1"],
        ["/api/jobs/job-1/events", "Bearer a1"],
        ["/api/auth/refresh", undefined],
        ["/api/jobs/job-1/events", "Bearer a2"],
        ["/api/jobs/missing/events", "Bearer a2"],
      ],
    );
  });
});

describe("all of the user's events", { timeout: 10_000 }, () => {
  it("keep going across the service's stream ends, resuming from the last id", async () => {
    let connections = 0;
    server = await serve((_, response) => {
      openStream(response);
      const n = ++connections;
      jobEvent(response, String(n * 10), "progress", n * 10, `job-${n}`);
      response.end();
    });
    const sdk = new CleanBackend({ baseUrl: server.baseUrl, ...signedIn });

    const seen: string[] = [];
    for await (const e of sdk.events(quick())) {
      seen.push(`${e.jobId}@${e.eventId}`);
      if (seen.length === 3) break;
    }

    assert.deepEqual(seen, ["job-1@10", "job-2@20", "job-3@30"]);
    assert.deepEqual(streamRequests(server), [[undefined, "Bearer a1"], ["10", "Bearer a1"], ["20", "Bearer a1"]]);
    assert.equal(server.received[0].path, "/api/events");
  });

  it("end quietly when the signal aborts, closing the connection", async () => {
    let closed!: () => void;
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
    server = await serve((_, response) => {
      openStream(response);
      jobEvent(response, "1", "queued", 0);
      response.on("close", () => closed());
    });
    const sdk = new CleanBackend({ baseUrl: server.baseUrl, ...signedIn });
    const abort = new AbortController();

    const seen: string[] = [];
    for await (const e of sdk.events({ ...quick(), signal: abort.signal })) {
      seen.push(e.type);
      abort.abort();
    }
    await connectionClosed;

    assert.deepEqual(seen, ["queued"]);
    assert.equal(streamRequests(server).length, 1);
  });
});
