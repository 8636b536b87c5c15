import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { CleanBackend, type Tokens } from "../src/index.js";
import { delay, json, problem, serve, type TestServer } from "./server.js";

const job = { id: "job-1", status: "queued" };
const user = { id: "user-1", email: "ada@example.com", name: "Ada" };
let server: TestServer | undefined;
afterEach(() => server?.close());

/** A service whose access token "fresh" works, and whose refresh turns "r1" into "fresh" + "r2" (slowly, so calls pile up). */
async function serviceWithRefresh(refresh: (body: { refreshToken: string }, response: import("node:http").ServerResponse) => void) {
  server = await serve(async (request, response) => {
    if (request.path === "/api/auth/refresh") {
      await delay(30);
      return refresh(JSON.parse(request.body), response);
    }
    if (request.headers.authorization !== "Bearer fresh") return problem(response, 401, "Unauthorized");
    json(response, 200, job);
  });
  return server;
}

describe("the session", { timeout: 10_000 }, () => {
  it("refreshes once for calls refused at the same time, and sends each again with the new token", async () => {
    const service = await serviceWithRefresh((body, response) =>
      body.refreshToken === "r1" ? json(response, 200, { ok: true, token: "fresh", refreshToken: "r2", expiresIn: 900 }) : problem(response, 401, "Invalid refresh token"),
    );
    const saved: Array<Tokens | undefined> = [];
    const sdk = new CleanBackend({ baseUrl: service.baseUrl, tokens: { accessToken: "expired", refreshToken: "r1" }, onTokens: (t) => saved.push(t) });

    const answers = await Promise.all([sdk.api.getJob("job-1"), sdk.api.getJob("job-1"), sdk.api.getJob("job-1")]);

    assert.deepEqual(answers, [job, job, job]);
    assert.deepEqual(service.received.filter((r) => r.path === "/api/auth/refresh").map((r) => JSON.parse(r.body)), [{ refreshToken: "r1" }]);
    assert.deepEqual(
      service.received.filter((r) => r.path === "/api/jobs/job-1").map((r) => r.headers.authorization),
      ["Bearer expired", "Bearer expired", "Bearer expired", "Bearer fresh", "Bearer fresh", "Bearer fresh"],
    );
    assert.deepEqual(saved, [{ accessToken: "fresh", refreshToken: "r2" }]);
    assert.deepEqual(sdk.tokens, { accessToken: "fresh", refreshToken: "r2" });
  });

  it("ends the session when the refresh is refused: the hook runs once, the tokens go, and callers get the 401", async () => {
    const service = await serviceWithRefresh((_, response) => problem(response, 401, "Refresh token reuse detected; the session has been ended"));
    const ended: unknown[] = [];
    const saved: Array<Tokens | undefined> = [];
    const sdk = new CleanBackend({
      baseUrl: service.baseUrl,
      tokens: { accessToken: "expired", refreshToken: "r1" },
      onSessionEnded: (reason) => ended.push(reason),
      onTokens: (t) => saved.push(t),
    });

    const outcomes = await Promise.allSettled([sdk.api.getJob("job-1"), sdk.api.getJob("job-1")]);

    assert.deepEqual(outcomes.map((o) => (o.status === "rejected" ? (o.reason as { status: number }).status : o.status)), [401, 401]);
    assert.equal(ended.length, 1);
    assert.equal((ended[0] as { detail: string }).detail, "Refresh token reuse detected; the session has been ended");
    assert.deepEqual(saved, [undefined]);
    assert.equal(sdk.tokens, undefined);
    assert.equal(service.received.filter((r) => r.path === "/api/auth/refresh").length, 1);
  });

  it("keeps the session when the refresh cannot reach the service, and reports the failure", async () => {
    server = await serve((request, response) => {
      if (request.path === "/api/auth/refresh") return void response.socket?.destroy();
      problem(response, 401, "Unauthorized");
    });
    let ended = 0;
    const sdk = new CleanBackend({ baseUrl: server.baseUrl, tokens: { accessToken: "expired", refreshToken: "r1" }, onSessionEnded: () => ended++ });

    await assert.rejects(sdk.api.getJob("job-1"), TypeError);

    assert.equal(ended, 0);
    assert.deepEqual(sdk.tokens, { accessToken: "expired", refreshToken: "r1" });
  });

  it("signs in without a token, keeps the tokens, and never refreshes on a refused sign-in", async () => {
    server = await serve((request, response) => {
      const body = JSON.parse(request.body || "{}");
      if (request.path === "/api/auth/login" && body.password === "Secret123") {
        return json(response, 200, { ok: true, token: "a1", refreshToken: "r1", expiresIn: 900, user });
      }
      if (request.path === "/api/auth/register/verify" && body.code === "123456") {
        return json(response, 201, { ok: true, token: "a0", refreshToken: "r0", expiresIn: 900, user });
      }
      problem(response, 401, "Invalid email or password");
    });
    const saved: Array<Tokens | undefined> = [];
    const sdk = new CleanBackend({ baseUrl: server.baseUrl, onTokens: (t) => saved.push(t) });

    const verified = await sdk.verifyRegistration("ada@example.com", "123456");
    const refused = await sdk.login("ada@example.com", "wrong").then(() => undefined, (e: { status: number; detail: string }) => [e.status, e.detail]);
    const signedIn = await sdk.login("ada@example.com", "Secret123");

    assert.equal(verified.user.email, "ada@example.com");
    assert.deepEqual(refused, [401, "Invalid email or password"]);
    assert.equal(signedIn.token, "a1");
    assert.deepEqual(saved, [{ accessToken: "a0", refreshToken: "r0" }, { accessToken: "a1", refreshToken: "r1" }]);
    assert.deepEqual(server.received.map((r) => [r.path, r.headers.authorization]), [
      ["/api/auth/register/verify", undefined],
      ["/api/auth/login", undefined],
      ["/api/auth/login", undefined],
    ]);
  });

  it("refreshes on demand, and logs out by revoking the refresh token and forgetting the session", async () => {
    server = await serve((request, response) => {
      if (request.path === "/api/auth/refresh") return json(response, 200, { ok: true, token: "a2", refreshToken: "r2", expiresIn: 900 });
      if (request.path === "/api/auth/logout") return json(response, 200, { ok: true });
      problem(response, 404, "Not found");
    });
    const saved: Array<Tokens | undefined> = [];
    const sdk = new CleanBackend({ baseUrl: server.baseUrl, tokens: { accessToken: "a1", refreshToken: "r1" }, onTokens: (t) => saved.push(t) });

    const [first, second] = await Promise.all([sdk.refresh(), sdk.refresh()]);
    await sdk.logout();

    assert.deepEqual([first, second], [{ accessToken: "a2", refreshToken: "r2" }, { accessToken: "a2", refreshToken: "r2" }]);
    assert.deepEqual(server.received.map((r) => [r.path, r.body, r.headers.authorization]), [
      ["/api/auth/refresh", JSON.stringify({ refreshToken: "r1" }), undefined],
      ["/api/auth/logout", JSON.stringify({ refreshToken: "r2" }), "Bearer a2"],
    ]);
    assert.deepEqual(saved, [{ accessToken: "a2", refreshToken: "r2" }, undefined]);
    assert.equal(sdk.tokens, undefined);
  });

  it("sends an API key in X-API-Key on every call and never refreshes", async () => {
    server = await serve(async (request, response) => {
      if (request.headers["x-api-key"] !== "cbk_test_key") return problem(response, 401, "Invalid API key");
      json(response, 202, { job });
    });
    const sdk = new CleanBackend({ baseUrl: server.baseUrl, apiKey: "cbk_test_key" });

    await sdk.createJob({ prompt: "a red cube" });
    const other = new CleanBackend({ baseUrl: server.baseUrl, apiKey: "cbk_test_revoked" });
    await assert.rejects(other.api.getJob("job-1"));

    assert.deepEqual(server.received.map((r) => [r.path, r.headers["x-api-key"], r.headers.authorization]), [
      ["/api/jobs", "cbk_test_key", undefined],
      ["/api/jobs/job-1", "cbk_test_revoked", undefined],
    ]);
    assert.ok(server.received[0].headers["idempotency-key"]);
  });
});
