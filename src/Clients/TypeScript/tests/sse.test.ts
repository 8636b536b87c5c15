import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SseParser, type SseMessage } from "../src/index.js";

/** Feeds the text in pieces of `size` characters, as a network might cut it. */
function parse(text: string, size = text.length): { events: SseMessage[]; parser: SseParser } {
  const parser = new SseParser();
  const events: SseMessage[] = [];
  for (let i = 0; i < text.length; i += size) events.push(...parser.feed(text.slice(i, i + size)));
  return { events, parser };
}

const stream = "\uFEFF: a comment\r\nretry: 2500\r\n\r\nevent: progress\r\ndata: {\"progress\":10}\r\nid: 7\r\n\r\n" +
  "data: line one\ndata:line two\n\n" + "event: completed\rdata\rid: 9\r\r" + "id: 10\n\n" + "event: orphan\n\n" + "data: cut off";

const expected: SseMessage[] = [
  { event: "progress", data: "{\"progress\":10}", id: "7" },
  { event: "message", data: "line one\nline two", id: "7" },
  { event: "completed", data: "", id: "9" },
];

describe("the Server-Sent Events parser", { timeout: 10_000 }, () => {
  it("reads events with any line ending, keeps the last id and the retry time, and drops comments and an unfinished event", () => {
    const { events, parser } = parse(stream);

    assert.deepEqual(events, expected);
    assert.equal(parser.lastEventId, "10");
    assert.equal(parser.retryMs, 2500);
  });

  it("gives the same events however the text is cut, including between CR and LF", () => {
    for (const size of [1, 2, 3, 5, 7, 16]) {
      assert.deepEqual(parse(stream, size).events, expected, `pieces of ${size}`);
    }
  });

  it("ignores an id with a NUL and a retry that is not a number", () => {
    const { events, parser } = parse("id: 1\nretry: soon\ndata: a\n\nid: 2\u00003\ndata: b\n\n");

    assert.deepEqual(events.map((e) => e.id), ["1", "1"]);
    assert.equal(parser.retryMs, undefined);
  });
});
