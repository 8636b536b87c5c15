// The journey of a new user through the generated client, against a running service:
// register, read the code, verify, login, chat, generate with live progress, list, download and validate
// the model, refresh, analytics, logout. Steps share state and run in order; after a failed step the rest
// are skipped, so the first failure is the one to read.
import assert from "node:assert/strict";
import { createHash, randomUUID } from "node:crypto";
import { after, describe, it, type TestContext } from "node:test";
import gltfValidator from "gltf-validator";
import {
  ApiException,
  AssetFormat,
  CleanBackendClient,
  JobStatus,
  type AssetDto,
  type AuthResponse,
  type ChatDto,
  type JobDto,
  type ProblemDetails,
} from "@cleanbackend/client";
import { EventRecorder } from "./events.js";
import { PickupMailbox } from "./mailbox.js";
import { readSettings } from "./settings.js";

const settings = readSettings();
const mailbox = new PickupMailbox(settings.mailDir);

let accessToken: string | undefined;
const client = new CleanBackendClient(settings.baseUrl, {
  fetch: (url, init) => {
    const headers = new Headers(init?.headers);
    if (accessToken) headers.set("Authorization", `Bearer ${accessToken}`);
    return fetch(url, { ...init, headers });
  },
});

// The client throws the parsed problem details for the error answers an operation documents, and an
// ApiException for any other status: either way the caller learns the status code.
async function failureOf(call: Promise<unknown>): Promise<{ status: number; detail?: string }> {
  try {
    await call;
  } catch (error) {
    if (ApiException.isApiException(error)) return { status: (error as ApiException).status };
    const problem = error as ProblemDetails;
    if (typeof problem?.status === "number") return { status: problem.status, detail: problem.detail };
    throw error;
  }
  assert.fail("the call succeeded");
}

let failedStep: string | undefined;
function step(name: string, body: () => Promise<void>): void {
  it(name, async (t: TestContext) => {
    if (failedStep) {
      t.skip(`after the failed step "${failedStep}"`);
      return;
    }
    try {
      await body();
    } catch (error) {
      failedStep = name;
      throw error;
    }
  });
}

describe("a new user's journey through the TypeScript client", () => {
  const email = `journey-${randomUUID()}@example.com`;
  const password = "Journey2Go";
  let code: string;
  let auth: AuthResponse;
  let chat: ChatDto;
  let job: JobDto;
  let glb: AssetDto;
  let events: EventRecorder | undefined;

  after(() => events?.close());

  step("registers and receives a 6-digit code by e-mail", async () => {
    const answer = await client.register({ email, password, name: "Journey" });
    assert.deepEqual(answer, { ok: true, message: "Verification code sent to email" });
    code = await mailbox.waitForVerificationCode(email);
    assert.match(code, /^\d{6}$/);
  });

  step("verifies the code and is signed in", async () => {
    const verified = await client.verifyRegistration({ email, code });
    assert.equal(verified.ok, true);
    assert.equal(verified.user.email, email);
    assert.equal(verified.user.name, "Journey");
    assert.ok(verified.token && verified.refreshToken);
  });

  step("logs in and reads its own profile", async () => {
    auth = await client.login({ email, password });
    assert.equal(auth.ok, true);
    assert.ok(auth.expiresIn > 0);
    accessToken = auth.token;
    const me = await client.getAuthenticatedUser();
    assert.equal(me.email, email);
    assert.equal(me.id, auth.user.id);
  });

  step("creates a chat", async () => {
    chat = await client.createChat({ title: "Chairs" });
    assert.equal(chat.title, "Chairs");
    const chats = await client.listChats(1, 20);
    assert.deepEqual(chats.items.map((c) => c.id), [chat.id]);
  });

  step("generates a model in the chat and follows its progress over Server-Sent Events", async () => {
    // Subscribe to all of the user's events first, so every event of the new job is seen.
    events = await EventRecorder.open(`${settings.baseUrl}/api/events?access_token=${encodeURIComponent(accessToken!)}`);
    const created = await client.generate({ prompt: "a small wooden chair", chatId: chat.id, formats: [AssetFormat.Glb] }, randomUUID());
    assert.equal(created.ok, true);
    job = created.job;
    assert.equal(job.chatId, chat.id);
    // The answer shows the job as it is by then: an idle worker may already have picked it up.
    assert.ok(job.status === JobStatus.Queued || job.status === JobStatus.Running, `status ${job.status}`);

    const final = await events.waitFor((e) => e.jobId === job.id && ["completed", "failed", "canceled"].includes(e.type), 120_000);
    assert.equal(final.type, "completed", `the job ended ${final.type}: ${final.error ?? ""}`);
    assert.equal(final.status, JobStatus.Completed);
    assert.equal(final.progress, 100);

    const ofJob = events.received.filter((e) => e.jobId === job.id);
    const types = ofJob.map((e) => e.type);
    assert.ok(types.includes("started"), `no started event in ${types.join(", ")}`);
    assert.ok(types.includes("progress"), `no progress event in ${types.join(", ")}`);
    const progress = ofJob.map((e) => e.progress);
    assert.deepEqual(progress, [...progress].sort((a, b) => a - b), `progress went backwards: ${progress.join(", ")}`);
  });

  step("lists the job and its assets", async () => {
    const jobs = await client.listJobs(1, 20);
    assert.equal(jobs.total, 1);
    const listed = jobs.items[0];
    assert.equal(listed.id, job.id);
    assert.equal(listed.status, JobStatus.Completed);
    assert.equal(listed.progress, 100);
    assert.ok(listed.completedAt);

    const assets = await client.listAssets(1, 20, job.id);
    const glbs = assets.items.filter((a) => a.format === AssetFormat.Glb);
    assert.equal(glbs.length, 1, `assets: ${JSON.stringify(assets.items)}`);
    glb = glbs[0];
    assert.equal(glb.jobId, job.id);
    assert.ok(glb.sizeBytes > 0);

    // The chat now holds the prompt and the assistant's answer with the model attached.
    const messages = await client.listMessages(chat.id, 1, 20);
    assert.deepEqual(messages.items.map((m) => m.role), ["user", "assistant"]);
    assert.ok(messages.items[1].attachments.some((a) => a.assetId === glb.id));
  });

  step("downloads the glb, which the Khronos glTF validator accepts", async () => {
    const file = await client.downloadAsset(glb.id);
    assert.equal(file.status, 200);
    const bytes = new Uint8Array(await file.data.arrayBuffer());
    assert.equal(bytes.length, glb.sizeBytes);
    assert.equal(createHash("sha256").update(bytes).digest("hex"), glb.sha256);

    const report = await gltfValidator.validateBytes(bytes, { format: "glb", maxIssues: 0, writeTimestamp: false });
    assert.equal(report.issues.numErrors, 0, JSON.stringify(report.issues.messages.slice(0, 5)));

    // The signed URL serves the same bytes without an Authorization header.
    const signed = await fetch(new URL(glb.url, settings.baseUrl));
    assert.equal(signed.status, 200);
    assert.deepEqual(new Uint8Array(await signed.arrayBuffer()), bytes);
  });

  step("refreshes its token, and the old refresh token stops working", async () => {
    const refreshed = await client.refreshToken({ refreshToken: auth.refreshToken });
    assert.equal(refreshed.ok, true);
    assert.notEqual(refreshed.refreshToken, auth.refreshToken);
    accessToken = refreshed.token;
    const me = await client.getAuthenticatedUser();
    assert.equal(me.email, email);

    // Reusing the rotated token is treated as theft (401) and ends that login, so sign in again.
    const reuse = await failureOf(client.refreshToken({ refreshToken: auth.refreshToken }));
    assert.deepEqual(reuse, { status: 401, detail: "Refresh token reuse detected; the session has been ended" });
    auth = await client.login({ email, password });
    accessToken = auth.token;
  });

  step("sees its work in the analytics", async () => {
    const stats = await client.analyticsStats();
    assert.deepEqual(stats.jobs, { total: 1, completed: 1, failed: 0, running: 0, queued: 0, canceled: 0 });
    assert.equal(stats.chats.total, 1);
    assert.equal(stats.messages.total, 2);
    assert.ok(stats.assets.total >= 1);
    assert.deepEqual(stats.recent.jobs.map((j) => j.id), [job.id]);

    const metrics = await client.analyticsGenerationMetrics(7);
    assert.equal(metrics.total, 1);
    assert.equal(metrics.completed, 1);
    assert.equal(metrics.successRate, 100);
  });

  step("logs out, after which its tokens are refused", async () => {
    const answer = await client.logout({ refreshToken: auth.refreshToken });
    assert.deepEqual(answer, { ok: true });
    assert.equal((await failureOf(client.getAuthenticatedUser())).status, 401);
    assert.equal((await failureOf(client.refreshToken({ refreshToken: auth.refreshToken }))).status, 401);
  });
});
