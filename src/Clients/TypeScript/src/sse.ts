// A Server-Sent Events parser (the WHATWG "event stream interpretation" rules), for reading an event stream
// from fetch: unlike EventSource it can send an Authorization header, and it runs the same in browsers and Node.

/** One dispatched event. */
export interface SseMessage {
  /** The event type (`event:`), "message" when the event names none. */
  event: string;
  /** The data lines, joined with "\n". */
  data: string;
  /** The last event id as of this event (`id:` of this event or of an earlier one); "" when none was sent. */
  id: string;
}

/** Turns text, fed in pieces as it arrives, into events. Keeps the last event id and the reconnection time. */
export class SseParser {
  /** The last `id:` seen (it stays for later events, as in EventSource); "" until one arrives. */
  lastEventId = "";
  /** The reconnection time the service asked for with `retry:`, in milliseconds. */
  retryMs: number | undefined;

  private buffer = "";
  private started = false;
  // The last piece ended with CR: an LF starting the next one belongs to that line end (CRLF split in two).
  private skipLf = false;
  private eventType = "";
  private data: string[] = [];
  private hasData = false;

  /** Parses the complete lines in `text` (with what was left from earlier calls) and returns the events they end. */
  feed(text: string): SseMessage[] {
    if (this.skipLf && text.length > 0) {
      this.skipLf = false;
      if (text[0] === "\n") text = text.slice(1);
    }
    this.buffer += text;
    if (!this.started && this.buffer.length > 0) {
      this.started = true;
      if (this.buffer.charCodeAt(0) === 0xfeff) this.buffer = this.buffer.slice(1);
    }
    const events: SseMessage[] = [];
    let start = 0;
    for (;;) {
      const end = nextLineEnd(this.buffer, start);
      if (end < 0) break;
      const line = this.buffer.slice(start, end);
      if (this.buffer[end] === "\r" && end === this.buffer.length - 1) this.skipLf = true;
      start = end + (this.buffer[end] === "\r" && this.buffer[end + 1] === "\n" ? 2 : 1);
      const event = this.line(line);
      if (event) events.push(event);
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  private line(line: string): SseMessage | undefined {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "event":
        this.eventType = value;
        break;
      case "data":
        this.data.push(value);
        this.hasData = true;
        break;
      case "id":
        if (!value.includes("\0")) this.lastEventId = value;
        break;
      case "retry":
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
    }
    return undefined;
  }

  private dispatch(): SseMessage | undefined {
    const event = this.hasData ? { event: this.eventType || "message", data: this.data.join("\n"), id: this.lastEventId } : undefined;
    this.eventType = "";
    this.data = [];
    this.hasData = false;
    return event;
  }
}

function nextLineEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return -1;
}

/** Reads the events of a response body until it ends; leaving the loop early cancels the body. */
export async function* readEvents(body: ReadableStream<Uint8Array>, parser: SseParser): AsyncGenerator<SseMessage> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield* parser.feed(decoder.decode(value, { stream: true }));
    }
  } finally {
    // Frees the connection when the caller stops early; a body that already ended ignores it.
    await reader.cancel().catch(() => undefined);
  }
}
