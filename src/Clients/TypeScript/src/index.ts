// The package: the generated client (every operation and type of the API) and the SDK around it.
export * from "./client.js";
export { CleanBackend, type CleanBackendOptions, type CreateOptions } from "./sdk.js";
export { type FetchLike, type SessionOptions, type Tokens } from "./session.js";
export { isFinalEvent, type EventStreamOptions, type LiveJobEvent } from "./events.js";
export { SseParser, type SseMessage } from "./sse.js";
export { verifyWebhook, WebhookVerificationError, type VerifyWebhookOptions, type WebhookEvent } from "./webhooks.js";
