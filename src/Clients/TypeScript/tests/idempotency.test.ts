import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { CleanBackend } from "../src/index.js";
import { json, problem, serve, type TestServer } from "./server.js";

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
let server: TestServer | undefined;
afterEach(() => server?.close());

async function jobService(): Promise<TestServer> {
  server = await serve((request, response) => {
    if (request.path === "/api/auth/refresh") return json(response, 200, { ok: true, token: "fresh", refreshToken: "r2", expiresIn: 900 });
    if (request.headers.authorization !== "Bearer fresh") return problem(response, 401, "Unauthorized");
    json(response, 202, { ok: true, job: { id: "job-1", status: "queued" } });
  });
  return server;
}

const keysSent = (service: TestServer) =>
  service.received.filter((r) => r.path === "/api/jobs" || r.path === "/api/generate").map((r) => [r.path, r.headers["idempotency-key"]]);

describe("creating jobs", { timeout: 10_000 }, () => {
  it("sends a fresh Idempotency-Key with each create call, and the same one again after a refresh", async () => {
    const service = await jobService();
    const sdk = new CleanBackend({ baseUrl: service.baseUrl, tokens: { accessToken: "expired", refreshToken: "r1" } });

    const first = await sdk.createJob({ prompt: "a red cube" });
    const second = await sdk.generate({ prompt: "a red cube", chatId: "chat-1" });

    assert.equal(first.job.id, "job-1");
    assert.equal(second.job.id, "job-1");
    const sent = keysSent(service);
    assert.equal(sent.length, 3);
    assert.deepEqual(sent.map(([path]) => path), ["/api/jobs", "/api/jobs", "/api/generate"]);
    for (const [, key] of sent) assert.match(String(key), uuid);
    assert.equal(sent[0][1], sent[1][1], "the retry after the refresh repeats the key");
    assert.notEqual(sent[1][1], sent[2][1], "each call has a key of its own");
  });

  it("sends the caller's own key, and gives the generated methods a key when they are called without one", async () => {
    const service = await jobService();
    const sdk = new CleanBackend({ baseUrl: service.baseUrl, tokens: { accessToken: "fresh", refreshToken: "r1" } });

    await sdk.createJob({ prompt: "a red cube" }, { idempotencyKey: "order-42" });
    await sdk.api.createJob({ prompt: "a red cube" }, undefined);

    const sent = keysSent(service);
    assert.deepEqual(sent[0], ["/api/jobs", "order-42"]);
    assert.match(String(sent[1][1]), uuid);
  });
});
