import type { JobDto } from "./client.js";

/** What the service sends to a webhook: the event, when it happened, and the job as GET /api/jobs/{id} shows it. */
export interface WebhookEvent {
  /** The delivery's id, the same as the Webhook-Id header and the same on every retry: handle each id once. */
  id: string;
  type: "job.completed" | "job.failed" | "job.canceled" | "ping" | (string & {});
  createdAt: string;
  data: { job?: JobDto };
}

export interface VerifyWebhookOptions {
  /** The webhook's signing secret (whsec_…), as the create or rotate answer showed it. */
  secret: string;
  /** The request body exactly as received, before any JSON parsing. */
  body: string | Uint8Array;
  /** The request's headers (a Headers object, or node's IncomingHttpHeaders). */
  headers: Headers | Record<string, string | string[] | undefined>;
  /** How old a delivery may be, in seconds (5 minutes by default), against replays. */
  toleranceSeconds?: number;
  /** The current time (for tests). */
  now?: Date;
}

/** Thrown when a webhook request was not signed by the service with this secret, or is too old. */
export class WebhookVerificationError extends Error {
  override readonly name = "WebhookVerificationError";
}

/**
 * Checks a webhook request's `Webhook-Signature` (`t=<unix seconds>,v1=<hex HMAC-SHA256 of "{t}.{body}">`) and
 * returns its event. Web Crypto's HMAC verification compares in constant time; it runs in Node 20+, Deno, Bun and
 * edge runtimes alike.
 *
 *     const event = await verifyWebhook({ secret, body: rawBody, headers: request.headers });
 */
export async function verifyWebhook(options: VerifyWebhookOptions): Promise<WebhookEvent> {
  const header = headerOf(options.headers, "webhook-signature");
  if (!header) throw new WebhookVerificationError("The request has no Webhook-Signature header.");

  const parts = header.split(",").map((part) => part.trim().split("=", 2) as [string, string | undefined]);
  const timestamp = Number(parts.find(([name]) => name === "t")?.[1]);
  const signatures = parts.filter(([name, value]) => name === "v1" && value).map(([, value]) => value as string);
  if (!Number.isInteger(timestamp) || signatures.length === 0) {
    throw new WebhookVerificationError("The Webhook-Signature header is not of the form t=<seconds>,v1=<hex>.");
  }

  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300)) {
    throw new WebhookVerificationError("The delivery's timestamp is outside the tolerance: a replay, or a clock far off.");
  }

  const encoder = new TextEncoder();
  const body = typeof options.body === "string" ? encoder.encode(options.body) : options.body;
  const key = await crypto.subtle.importKey("raw", encoder.encode(options.secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const signed = concat(encoder.encode(`${timestamp}.`), body);
  for (const signature of signatures) {
    const bytes = fromHex(signature);
    if (bytes && (await crypto.subtle.verify("HMAC", key, bytes, signed))) {
      return JSON.parse(new TextDecoder().decode(body)) as WebhookEvent;
    }
  }
  throw new WebhookVerificationError("The signature does not match: a different secret, or a changed body.");
}

function headerOf(headers: VerifyWebhookOptions["headers"], name: string): string | undefined {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const value = record[name] ?? Object.entries(record).find(([key]) => key.toLowerCase() === name)?.[1];
  return Array.isArray(value) ? value[0] : value;
}

function concat(first: Uint8Array, second: Uint8Array): Uint8Array<ArrayBuffer> {
  const joined = new Uint8Array(first.length + second.length);
  joined.set(first);
  joined.set(second, first.length);
  return joined;
}

function fromHex(hex: string): Uint8Array<ArrayBuffer> | undefined {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return undefined;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}
