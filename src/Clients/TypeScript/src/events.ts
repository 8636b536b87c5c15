import { ApiException, type JobEventMessage } from "./client.js";
import type { FetchLike } from "./session.js";
import { readEvents, SseParser } from "./sse.js";

/** A job event as it arrives on a stream, with the stream's id for it. */
export type LiveJobEvent = JobEventMessage & {
  /** The event's id: pass it as `lastEventId` to continue later (even on another page or process) from here. */
  eventId: string;
};

export interface EventStreamOptions {
  /** Aborting ends the iteration (the loop just stops; nothing is thrown). */
  signal?: AbortSignal;
  /** Continue after this event (a LiveJobEvent's eventId) instead of starting with the current state. */
  lastEventId?: string;
  /** The first wait before reconnecting, in ms, when the service sets none with `retry:` (default 1000). */
  retryMs?: number;
  /** The longest wait between reconnections; the wait doubles with each failure in a row up to it (default 30000). */
  maxRetryMs?: number;
  /** Called each time the stream is open (first connection and every reconnection): events from then on arrive. */
  onOpen?: () => void;
}

const finalTypes = new Set(["completed", "failed", "canceled"]);

/** Whether an event is the last one of its job (completed, failed or canceled). */
export function isFinalEvent(event: JobEventMessage): boolean {
  return finalTypes.has(event.type);
}

/**
 * Job events from a Server-Sent Events endpoint as an async iterator. A dropped connection is opened again after
 * a wait, sending Last-Event-ID so the service resumes where the stream broke; the iteration ends when `isLast`
 * says so, on 204 (the service has nothing more to send), or when `signal` aborts. An answer that retrying cannot
 * fix (404, a 401 the session could not renew, ...) is thrown like the generated client does: the problem details
 * when the service sent them, else an ApiException.
 */
export async function* streamJobEvents(
  fetch: FetchLike,
  url: string,
  isLast: (event: JobEventMessage) => boolean,
  options: EventStreamOptions = {},
): AsyncGenerator<LiveJobEvent, void, undefined> {
  const { signal } = options;
  const firstWait = options.retryMs ?? 1000;
  const longestWait = options.maxRetryMs ?? 30_000;
  const parser = new SseParser();
  parser.lastEventId = options.lastEventId ?? "";
  let failures = 0;

  while (!signal?.aborted) {
    let wait: number | undefined;
    try {
      const headers: Record<string, string> = { Accept: "text/event-stream" };
      if (parser.lastEventId) headers["Last-Event-ID"] = parser.lastEventId;
      const response = await fetch(url, { method: "GET", headers, signal, cache: "no-store" });
      if (response.status === 204) return;
      const type = response.headers.get("content-type") ?? "";
      if (response.ok && type.startsWith("text/event-stream") && response.body) {
        failures = 0;
        options.onOpen?.();
        for await (const message of readEvents(response.body, parser)) {
          const event = { ...(JSON.parse(message.data) as JobEventMessage), eventId: message.id };
          yield event;
          if (isLast(event)) return;
        }
      } else if (isTransient(response.status)) {
        wait = retryAfter(response);
        await response.body?.cancel().catch(() => undefined);
      } else {
        throw await failureOf(response, type);
      }
    } catch (error) {
      if (signal?.aborted) return;
      // Network failures (fetch and reading reject with TypeError, or a reset) are worth another try; our own
      // verdicts on an answer, and mistakes in the data, are not.
      if (!isNetworkFailure(error)) throw error;
    }
    // The stream ended or broke: wait, longer after each failure in a row, then continue from the last id.
    const base = wait ?? parser.retryMs ?? firstWait;
    await sleep(Math.min(base * 2 ** failures, Math.max(longestWait, base)), signal);
    failures++;
  }
}

function isTransient(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

function retryAfter(response: Response): number | undefined {
  const seconds = Number(response.headers.get("retry-after"));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

function isNetworkFailure(error: unknown): boolean {
  return error instanceof TypeError || (error instanceof Error && /terminated|ECONNRESET|socket|network/i.test(error.message));
}

async function failureOf(response: Response, type: string): Promise<unknown> {
  const text = await response.text();
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => (headers[key] = value));
  if (/json/.test(type)) {
    try {
      const problem = JSON.parse(text);
      if (problem && typeof problem === "object") return problem;
    } catch {
      // Not JSON after all: reported below with the text.
    }
  }
  const message = response.ok ? "The answer is not an event stream." : "An unexpected server error occurred.";
  return new ApiException(message, response.status, text, headers, null);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
