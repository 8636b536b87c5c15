// The journey of a new user through the SDK (@cleanbackend/client), against a running service:
// register, read the code, verify, login, chat, generate with live progress (the SDK's event iterators), list,
// download and validate the model, token refresh and session end, analytics, a model from an uploaded photo (glb and
// stl), a developer's flow (a test API key generates a model, a signed webhook reports it), logout. Steps share state and run in
// order; after a failed step the rest are skipped, so the first failure is the one to read.
import assert from "node:assert/strict";
import { createHash, randomUUID } from "node:crypto";
import { describe, it, type TestContext } from "node:test";
import gltfValidator from "gltf-validator";
import {
  ApiException,
  ApiKeyMode,
  AssetFormat,
  CleanBackend,
  JobStatus,
  MeshTopology,
  isFinalEvent,
  type AssetDto,
  type ChatDto,
  type JobDto,
  type LiveJobEvent,
  type ProblemDetails,
  type Tokens,
  verifyWebhook,
  WebhookVerificationError,
} from "@cleanbackend/client";
import { PickupMailbox } from "./mailbox.js";
import { drawObjectOnPlainBackground } from "./png.js";
import { readSettings } from "./settings.js";
import { WebhookReceiver } from "./webhook-receiver.js";

const settings = readSettings();
const mailbox = new PickupMailbox(settings.mailDir);

// What the SDK reports through its hooks: every change of tokens (what an app would persist), and session ends.
const savedTokens: Array<Tokens | undefined> = [];
const endedSessions: unknown[] = [];
const sdk = new CleanBackend({
  baseUrl: settings.baseUrl,
  onTokens: (tokens) => savedTokens.push(tokens),
  onSessionEnded: (reason) => endedSessions.push(reason),
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

describe("a new user's journey through the TypeScript SDK", () => {
  const email = `journey-${randomUUID()}@example.com`;
  const password = "Journey2Go";
  let code: string;
  let chat: ChatDto;
  let job: JobDto;
  let glb: AssetDto;

  step("registers and receives a 6-digit code by e-mail", async () => {
    const answer = await sdk.api.register({ email, password, name: "Journey" });
    assert.deepEqual(answer, { ok: true, message: "Verification code sent to email" });
    code = await mailbox.waitForVerificationCode(email);
    assert.match(code, /^\d{6}$/);
  });

  step("verifies the code and is signed in", async () => {
    const verified = await sdk.verifyRegistration(email, code);
    assert.equal(verified.ok, true);
    assert.equal(verified.user.email, email);
    assert.equal(verified.user.name, "Journey");
    assert.deepEqual(sdk.tokens, { accessToken: verified.token, refreshToken: verified.refreshToken });
    assert.equal((await sdk.api.getAuthenticatedUser()).email, email);
  });

  step("logs in and reads its own profile", async () => {
    const auth = await sdk.login(email, password);
    assert.equal(auth.ok, true);
    assert.ok(auth.expiresIn > 0);
    assert.deepEqual(savedTokens.at(-1), { accessToken: auth.token, refreshToken: auth.refreshToken });
    const me = await sdk.api.getAuthenticatedUser();
    assert.equal(me.email, email);
    assert.equal(me.id, auth.user.id);
  });

  step("creates a chat", async () => {
    chat = await sdk.api.createChat({ title: "Chairs" });
    assert.equal(chat.title, "Chairs");
    const chats = await sdk.api.listChats(1, 20);
    assert.deepEqual(chats.items.map((c) => c.id), [chat.id]);
  });

  step("generates a model in the chat, once however often the request is sent, and follows it live", async () => {
    // All of the user's events, open before the job exists so that each of its events is seen.
    const stop = AbortSignal.timeout(120_000);
    const everything: LiveJobEvent[] = [];
    let opened!: () => void;
    const open = new Promise<void>((resolve) => (opened = resolve));
    const following = (async () => {
      for await (const event of sdk.events({ signal: stop, onOpen: opened })) {
        everything.push(event);
        if (isFinalEvent(event)) break;
      }
    })();
    await open;

    const command = { prompt: "a small wooden chair", chatId: chat.id, formats: [AssetFormat.Glb] };
    const key = randomUUID();
    const created = await sdk.generate(command, { idempotencyKey: key });
    const retried = await sdk.generate(command, { idempotencyKey: key });
    assert.equal(created.ok, true);
    job = created.job;
    assert.equal(retried.job.id, job.id, "a retry with the same Idempotency-Key returns the first job");
    assert.equal(job.chatId, chat.id);
    // The answer shows the job as it is by then: an idle worker may already have picked it up.
    assert.ok(job.status === JobStatus.Queued || job.status === JobStatus.Running, `status ${job.status}`);

    // The job's own stream starts with its current state and ends by itself after its final event.
    const ofJob: LiveJobEvent[] = [];
    for await (const event of sdk.jobEvents(job.id, { signal: stop })) ofJob.push(event);
    const final = ofJob.at(-1);
    assert.equal(final?.type, "completed", `the job ended ${final?.type}: ${final?.error ?? ""}`);
    assert.equal(final.status, JobStatus.Completed);
    assert.equal(final.progress, 100);
    assert.ok(ofJob.every((e) => e.jobId === job.id));
    const ids = ofJob.map((e) => BigInt(e.eventId));
    assert.ok(ids.every((id, i) => i === 0 || id > ids[i - 1]), `event ids do not grow: ${ids.join(", ")}`);

    // Reconnecting after the final event: the service has nothing more, and the iterator ends at once.
    const after: LiveJobEvent[] = [];
    for await (const event of sdk.jobEvents(job.id, { signal: stop, lastEventId: final.eventId })) after.push(event);
    assert.deepEqual(after, []);

    await following;
    const types = everything.filter((e) => e.jobId === job.id).map((e) => e.type);
    assert.equal(types.at(-1), "completed", `events: ${types.join(", ")}`);
    assert.ok(types.includes("started"), `no started event in ${types.join(", ")}`);
    assert.ok(types.includes("progress"), `no progress event in ${types.join(", ")}`);
    const progress = everything.map((e) => e.progress);
    assert.deepEqual(progress, [...progress].sort((a, b) => a - b), `progress went backwards: ${progress.join(", ")}`);
  });

  step("lists the job and its assets", async () => {
    const jobs = await sdk.api.listJobs(1, 20);
    assert.equal(jobs.total, 1);
    const listed = jobs.items[0];
    assert.equal(listed.id, job.id);
    assert.equal(listed.status, JobStatus.Completed);
    assert.equal(listed.progress, 100);
    assert.ok(listed.completedAt);

    const assets = await sdk.api.listAssets(1, 20, job.id);
    const glbs = assets.items.filter((a) => a.format === AssetFormat.Glb);
    assert.equal(glbs.length, 1, `assets: ${JSON.stringify(assets.items)}`);
    glb = glbs[0];
    assert.equal(glb.jobId, job.id);
    assert.ok(glb.sizeBytes > 0);

    // The chat now holds the prompt (once, though it was sent twice) and the assistant's answer with the model.
    const messages = await sdk.api.listMessages(chat.id, 1, 20);
    assert.deepEqual(messages.items.map((m) => m.role), ["user", "assistant"]);
    assert.ok(messages.items[1].attachments.some((a) => a.assetId === glb.id));
  });

  step("downloads the glb, which the Khronos glTF validator accepts", async () => {
    const file = await sdk.api.downloadAsset(glb.id);
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

  step("refreshes by itself when its access token is refused, and a reused refresh token ends the session", async () => {
    const before = sdk.tokens!;
    sdk.setTokens({ accessToken: "no-longer-valid", refreshToken: before.refreshToken });
    const me = await sdk.api.getAuthenticatedUser();
    assert.equal(me.email, email);
    const renewed = sdk.tokens!;
    assert.notEqual(renewed.refreshToken, before.refreshToken);
    assert.deepEqual(savedTokens.at(-1), renewed);

    // Presenting the rotated token is treated as theft (401) and revokes that login's refresh tokens, so the
    // SDK's next refresh is refused: the session ends and the hook says so.
    const reuse = await failureOf(sdk.api.refreshToken({ refreshToken: before.refreshToken }));
    assert.deepEqual(reuse, { status: 401, detail: "Refresh token reuse detected; the session has been ended" });
    assert.equal(endedSessions.length, 0);
    await assert.rejects(sdk.refresh(), /session has ended/);
    assert.equal(endedSessions.length, 1);
    assert.equal(sdk.tokens, undefined);
    assert.equal(savedTokens.at(-1), undefined);

    await sdk.login(email, password);
  });

  step("sees its work in the analytics", async () => {
    const stats = await sdk.api.analyticsStats();
    assert.deepEqual(stats.jobs, { total: 1, completed: 1, failed: 0, running: 0, queued: 0, canceled: 0 });
    assert.equal(stats.chats.total, 1);
    assert.equal(stats.messages.total, 2);
    assert.ok(stats.assets.total >= 1);
    assert.deepEqual(stats.recent.jobs.map((j) => j.id), [job.id]);

    const metrics = await sdk.api.analyticsGenerationMetrics(7);
    assert.equal(metrics.total, 1);
    assert.equal(metrics.completed, 1);
    assert.equal(metrics.successRate, 100);
  });

  step("uploads a photo of an object and gets its model as glb and stl", async () => {
    const photo = await sdk.api.uploadAsset({ data: new Blob([drawObjectOnPlainBackground()], { type: "image/png" }), fileName: "mug.png" });
    assert.equal(photo.format, AssetFormat.Png);

    const { job: imageJob } = await sdk.createJob({ imageAssetIds: [photo.id], formats: [AssetFormat.Glb, AssetFormat.Stl] });
    // The generator chooses the polygon count when none is asked for (JSON null).
    assert.deepEqual([imageJob.prompt, imageJob.imageAssetIds, imageJob.topology, imageJob.targetPolycount ?? null], ["", [photo.id], MeshTopology.Triangle, null]);
    const events: LiveJobEvent[] = [];
    for await (const event of sdk.jobEvents(imageJob.id, { signal: AbortSignal.timeout(120_000) })) events.push(event);
    assert.equal(events.at(-1)?.type, "completed", `the job ended ${events.at(-1)?.type}: ${events.at(-1)?.error ?? ""}`);

    const done = await sdk.api.getJob(imageJob.id);
    const download = async (format: AssetFormat): Promise<Uint8Array> => {
      const asset = done.assets.find((a) => a.format === format);
      assert.ok(asset, `no ${format} in ${JSON.stringify(done.assets.map((a) => a.format))}`);
      const bytes = new Uint8Array(await (await sdk.api.downloadAsset(asset.id)).data.arrayBuffer());
      assert.equal(bytes.length, asset.sizeBytes);
      return bytes;
    };

    const model = await download(AssetFormat.Glb);
    assert.equal(Buffer.from(model.subarray(0, 4)).toString("ascii"), "glTF");
    const report = await gltfValidator.validateBytes(model, { format: "glb", maxIssues: 0, writeTimestamp: false });
    assert.equal(report.issues.numErrors, 0, JSON.stringify(report.issues.messages.slice(0, 5)));

    // Binary stl: an 80-byte header, the triangle count, 50 bytes per triangle.
    const stl = await download(AssetFormat.Stl);
    const triangles = new DataView(stl.buffer, stl.byteOffset, stl.byteLength).getUint32(80, true);
    assert.ok(triangles > 0);
    assert.equal(stl.length, 84 + 50 * triangles);
    assert.deepEqual(openEdges(stl, triangles), [], "the stl is watertight: every edge is shared by two triangles");

    // The thumbnail is a signed link: it downloads without a token.
    assert.ok(done.thumbnailUrl, "a completed model has a thumbnail");
    const thumbnail = await fetch(new URL(done.thumbnailUrl, settings.baseUrl));
    assert.equal(thumbnail.status, 200);
    assert.equal(thumbnail.headers.get("content-type"), "image/png");
    assert.deepEqual([...new Uint8Array(await thumbnail.arrayBuffer()).subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
  });

  step("makes a test API key, generates a model with it alone, receives the signed webhook, and revokes the key", async () => {
    // The developer's server: the service signs each delivery with the secret shown once here.
    const receiver = new WebhookReceiver();
    const hook = await sdk.api.createWebhook({ url: await receiver.start(), events: ["job.completed"], enabled: true });
    assert.match(hook.secret, /^whsec_/);

    const key = await sdk.api.createApiKey({ name: "journey", scopes: ["jobs:read", "jobs:write", "assets:read", "usage:read"], mode: ApiKeyMode.Test });
    assert.match(key.secret, /^cbk_test_[A-Za-z0-9_-]{43}$/);
    assert.ok(key.secret.startsWith(key.prefix));
    assert.deepEqual((await sdk.api.listApiKeys()).map((k) => [k.id, k.prefix, k.mode]), [[key.id, key.prefix, ApiKeyMode.Test]]);

    // No sign-in: the key is all this client has.
    const withKey = new CleanBackend({ baseUrl: settings.baseUrl, apiKey: key.secret });
    const { job: keyJob } = await withKey.createJob({ prompt: "a small red cube", formats: [AssetFormat.Glb] });
    const events: LiveJobEvent[] = [];
    for await (const event of withKey.jobEvents(keyJob.id)) events.push(event);
    assert.equal(events.at(-1)?.type, "completed");
    const done = await withKey.api.getJob(keyJob.id);
    const model = done.assets.find((a) => a.format === AssetFormat.Glb)!;
    assert.ok((await withKey.api.downloadAsset(model.id)).data.size > 0);

    // The job's webhook: signed with the secret, carrying the job as GET /api/jobs/{id} shows it.
    try {
      const delivery = await receiver.next((d) => d.body.includes(keyJob.id));
      const event = await verifyWebhook({ secret: hook.secret, body: delivery.body, headers: delivery.headers });
      assert.equal(event.type, "job.completed");
      assert.equal(delivery.headers["webhook-id"], event.id);
      assert.deepEqual([event.data.job?.id, event.data.job?.status, event.data.job?.assets.map((a) => a.id)], [done.id, done.status, done.assets.map((a) => a.id)]);
      await assert.rejects(verifyWebhook({ secret: "whsec_someone_else", body: delivery.body, headers: delivery.headers }), WebhookVerificationError);
    } finally {
      await receiver.close();
    }

    // A test key's jobs are free: nothing reserved, nothing spent.
    const usage = await withKey.api.getUsage();
    assert.deepEqual([usage.reserved, usage.spentThisPeriod], [0, 0]);

    // Beyond its scopes, and on account routes, the key is refused.
    assert.equal((await failureOf(withKey.api.listChats())).status, 403);
    assert.equal((await failureOf(withKey.api.getAuthenticatedUser())).status, 403);

    await sdk.api.revokeApiKey(key.id);
    assert.equal((await failureOf(withKey.api.getJob(keyJob.id))).status, 401);
    assert.deepEqual(await sdk.api.listApiKeys(), []);
  });

  step("logs out, after which its tokens are refused", async () => {
    const tokens = sdk.tokens!;
    await sdk.logout();
    assert.equal(sdk.tokens, undefined);
    assert.equal((await failureOf(sdk.api.getAuthenticatedUser())).status, 401);

    // An app that still held the old tokens: the access token is refused, the refresh too, and its session ends.
    let ended = 0;
    const stale = new CleanBackend({ baseUrl: settings.baseUrl, tokens, onSessionEnded: () => ended++ });
    assert.equal((await failureOf(stale.api.getAuthenticatedUser())).status, 401);
    assert.equal(ended, 1);
    assert.equal(stale.tokens, undefined);
  });
});

/** The edges of a binary stl's triangles (corners welded by position) that are not shared by exactly two triangles. */
function openEdges(stl: Uint8Array, triangles: number): string[] {
  const view = new DataView(stl.buffer, stl.byteOffset, stl.byteLength);
  const corner = (t: number, c: number): string => {
    const at = 84 + 50 * t + 12 + 12 * c;
    return [0, 4, 8].map((o) => view.getFloat32(at + o, true)).join(",");
  };
  const uses = new Map<string, number>();
  for (let t = 0; t < triangles; t++) {
    const corners = [corner(t, 0), corner(t, 1), corner(t, 2)];
    for (let c = 0; c < 3; c++) {
      const [a, b] = [corners[c], corners[(c + 1) % 3]].sort();
      const edge = `${a}|${b}`;
      uses.set(edge, (uses.get(edge) ?? 0) + 1);
    }
  }
  return [...uses].filter(([, count]) => count !== 2).map(([edge]) => edge);
}
