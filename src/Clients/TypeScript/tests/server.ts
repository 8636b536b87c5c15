// A tiny HTTP service on loopback for the tests: each test answers requests with its own handler and reads back
// what the SDK sent.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export type Handler = (request: Received, response: ServerResponse) => void | Promise<void>;

export interface TestServer {
  baseUrl: string;
  received: Received[];
  close(): Promise<void>;
}

export async function serve(handler: Handler): Promise<TestServer> {
  const received: Received[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = { method: req.method ?? "GET", path: req.url ?? "/", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
    received.push(request);
    try {
      await handler(request, res);
    } catch (error) {
      res.statusCode = 500;
      res.end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(response: ServerResponse, status: number, body: unknown): void {
  const type = status >= 400 ? "application/problem+json" : "application/json";
  response.writeHead(status, { "Content-Type": type });
  response.end(JSON.stringify(body));
}

export function problem(response: ServerResponse, status: number, detail: string): void {
  json(response, status, { type: "about:blank", title: detail, status, detail, error: detail });
}

/** Starts an event stream answer (headers out at once, as the service does). */
export function openStream(response: ServerResponse): void {
  response.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" });
  response.flushHeaders();
}

/** One job event in the service's wire format. */
export function jobEvent(response: ServerResponse, id: string, type: string, progress: number, jobId = "job-1"): void {
  const status = type === "progress" || type === "started" ? "running" : type;
  const data = { type, jobId, status, progress, error: null, at: "2026-06-01T12:00:00Z" };
  response.write(`event: ${type}\ndata: ${JSON.stringify(data)}\nid: ${id}\n\n`);
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
