import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { CleanBackend } from "../src/index.js";
import { json, problem, serve, type TestServer } from "./server.js";

let server: TestServer | undefined;
afterEach(() => server?.close());

describe("an API key instead of a session", { timeout: 10_000 }, () => {
  it("sends the key with every call and an idempotency key with job creation", async () => {
    server = await serve((request, response) =>
      request.headers.authorization === "Bearer cbk_test_abc" ? json(response, 202, { ok: true, job: { id: "job-1", status: "queued" } }) : problem(response, 401, "Unauthorized"),
    );
    const sdk = new CleanBackend({ baseUrl: server.baseUrl, apiKey: "cbk_test_abc" });

    const created = await sdk.createJob({ prompt: "a red chair" });

    assert.equal(created.job.id, "job-1");
    const [sent] = server.received;
    assert.equal(sent.headers.authorization, "Bearer cbk_test_abc");
    assert.match(String(sent.headers["idempotency-key"]), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("takes a 401 as final: no refresh, one request", async () => {
    server = await serve((_request, response) => problem(response, 401, "API key has been revoked"));
    const sdk = new CleanBackend({ baseUrl: server.baseUrl, apiKey: "cbk_live_revoked" });

    await assert.rejects(sdk.api.getJob("job-1"), (error: { status?: number }) => error.status === 401);
    assert.deepEqual(server.received.map((r) => r.path), ["/api/jobs/job-1"]);
  });
});
