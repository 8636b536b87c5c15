import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { CleanBackend } from "../src/index.js";
import { json, problem, serve, type TestServer } from "./server.js";

let server: TestServer | undefined;
afterEach(() => server?.close());

describe("job creation with an API key", { timeout: 10_000 }, () => {
  it("sends the key and a fresh Idempotency-Key, and no Authorization header", async () => {
    server = await serve((request, response) =>
      request.headers["x-api-key"] === "cbk_test_abc" ? json(response, 202, { ok: true, job: { id: "job-1", status: "queued" } }) : problem(response, 401, "Unauthorized"),
    );
    const sdk = new CleanBackend({ baseUrl: server.baseUrl, apiKey: "cbk_test_abc" });

    const created = await sdk.createJob({ prompt: "a red chair" });

    assert.equal(created.job.id, "job-1");
    const [sent] = server.received;
    assert.equal(sent.headers["x-api-key"], "cbk_test_abc");
    assert.equal(sent.headers.authorization, undefined);
    assert.match(String(sent.headers["idempotency-key"]), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
