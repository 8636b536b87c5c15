import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, it } from "node:test";
import { verifyWebhook, WebhookVerificationError } from "../src/index.js";

const secret = "whsec_test_secret";
const body = JSON.stringify({ id: "d-1", type: "job.completed", createdAt: "2026-12-07T10:00:00Z", data: { job: { id: "job-1", status: "completed" } } });
const sentAt = new Date("2026-12-07T10:00:00Z");
const t = Math.floor(sentAt.getTime() / 1000);

/** Signs as the service does: hex HMAC-SHA256, keyed with the secret's UTF-8 bytes, of "{t}.{body}". */
function sign(key: string, timestamp: number, payload: string): string {
  return createHmac("sha256", Buffer.from(key, "utf8")).update(`${timestamp}.${payload}`).digest("hex");
}

describe("verifyWebhook", () => {
  it("returns the event of a delivery signed with the secret, from Headers or node's header record", async () => {
    const signature = `t=${t},v1=${sign(secret, t, body)}`;

    const fromHeaders = await verifyWebhook({ secret, body, headers: new Headers({ "Webhook-Signature": signature }), now: sentAt });
    const fromRecord = await verifyWebhook({ secret, body: Buffer.from(body), headers: { "webhook-signature": signature }, now: new Date(sentAt.getTime() + 60_000) });

    assert.deepEqual(fromHeaders, JSON.parse(body));
    assert.deepEqual(fromRecord, JSON.parse(body));
  });

  it("accepts any of several v1 signatures", async () => {
    const signature = `t=${t},v1=${sign("whsec_old", t, body)},v1=${sign(secret, t, body)}`;

    const event = await verifyWebhook({ secret, body, headers: { "webhook-signature": signature }, now: sentAt });

    assert.equal(event.id, "d-1");
  });

  for (const [name, headers, payload, now] of [
    ["a changed body", { "webhook-signature": `t=${t},v1=${sign(secret, t, body)}` }, body.replace("completed", "failed"), sentAt],
    ["another secret", { "webhook-signature": `t=${t},v1=${sign("whsec_other", t, body)}` }, body, sentAt],
    ["a changed timestamp", { "webhook-signature": `t=${t + 1},v1=${sign(secret, t, body)}` }, body, sentAt],
    ["a delivery older than five minutes", { "webhook-signature": `t=${t},v1=${sign(secret, t, body)}` }, body, new Date(sentAt.getTime() + 301_000)],
    ["no signature header", {}, body, sentAt],
    ["a malformed header", { "webhook-signature": "v1=abc" }, body, sentAt],
    ["a signature that is not hex", { "webhook-signature": `t=${t},v1=zz` }, body, sentAt],
  ] as const) {
    it(`refuses ${name}`, async () => {
      await assert.rejects(verifyWebhook({ secret, body: payload, headers, now }), WebhookVerificationError);
    });
  }
});
