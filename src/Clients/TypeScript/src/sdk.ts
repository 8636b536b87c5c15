import {
  CleanBackendClient,
  type AuthResponse,
  type CreateGenerationJobCommand,
  type JobCreatedResponse,
} from "./client.js";
import { isFinalEvent, streamJobEvents, type EventStreamOptions, type LiveJobEvent } from "./events.js";
import { apiKeyFetch, authorizingFetch, Session, type FetchLike, type SessionOptions, type Tokens } from "./session.js";

export interface CleanBackendOptions extends SessionOptions {
  /** The service, e.g. "https://api.example.com" (no trailing slash). */
  baseUrl: string;
  /** The fetch to send requests with; the global one by default. */
  fetch?: FetchLike;
  /**
   * A personal API key (`cbk_live_...` or `cbk_test_...`) to call the API with instead of signing in: every call
   * carries it in X-API-Key, there is no session to refresh, and the key's scopes decide what it may call.
   */
  apiKey?: string;
}

export interface CreateOptions {
  /** Sent as Idempotency-Key: a retry with the same key returns the first job. A fresh UUID by default. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/**
 * The CleanBackend API with its session built in: `api` is the generated client, whose every call carries the
 * access token and, when the token has expired, refreshes it once and tries again (given `apiKey`, it carries the
 * key instead). Besides, the calls that change the session, job creation with an idempotency key, and live events
 * as async iterators.
 */
export class CleanBackend {
  /** Every operation of the API (the generated client), signed in with this object's session. */
  readonly api: CleanBackendClient;

  private readonly session: Session;
  private readonly fetch: FetchLike;
  private readonly baseUrl: string;

  constructor(options: CleanBackendOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    // Called through a function: browsers refuse a fetch detached from window.
    const base: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    const anonymous = new CleanBackendClient(this.baseUrl, { fetch: base });
    this.session = new Session((refreshToken) => anonymous.refreshToken({ refreshToken }), options);
    this.fetch = options.apiKey ? apiKeyFetch(base, options.apiKey) : authorizingFetch(base, this.session);
    this.api = new CleanBackendClient(this.baseUrl, { fetch: this.fetch });
  }

  /** The current tokens; undefined when signed out. */
  get tokens(): Tokens | undefined {
    return this.session.tokens;
  }

  /** Continues a saved session (or forgets the current one with undefined). */
  setTokens(tokens: Tokens | undefined): void {
    this.session.set(tokens);
  }

  /** Signs in and keeps the tokens. */
  async login(email: string, password: string, signal?: AbortSignal): Promise<AuthResponse> {
    return this.signedIn(await this.api.login({ email, password }, signal));
  }

  /** Completes a registration with the e-mailed code, which signs the user in; keeps the tokens. */
  async verifyRegistration(email: string, code: string, signal?: AbortSignal): Promise<AuthResponse> {
    return this.signedIn(await this.api.verifyRegistration({ email, code }, signal));
  }

  /**
   * Exchanges the refresh token for new tokens now (calls refused with 401 do this by themselves). Calls made at
   * the same time share one refresh. Throws when there is no session or the service ended it.
   */
  async refresh(): Promise<Tokens> {
    const tokens = this.session.tokens;
    if (!tokens) throw new Error("Not signed in.");
    await this.session.renew(tokens.accessToken);
    const renewed = this.session.tokens;
    if (!renewed) throw new Error("The session has ended; sign in again.");
    return renewed;
  }

  /** Ends the session at the service (its refresh and access tokens stop working) and forgets the tokens. */
  async logout(signal?: AbortSignal): Promise<void> {
    const tokens = this.session.tokens;
    if (!tokens) return;
    try {
      await this.api.logout({ refreshToken: tokens.refreshToken }, signal);
    } finally {
      if (this.session.tokens === tokens) this.session.set(undefined);
    }
  }

  /** Queues a generation (POST /api/jobs). Retrying with the same idempotencyKey never makes a second job. */
  createJob(command: CreateGenerationJobCommand, options: CreateOptions = {}): Promise<JobCreatedResponse> {
    return this.api.createJob(command, options.idempotencyKey ?? crypto.randomUUID(), options.signal);
  }

  /** Queues a generation in a chat (POST /api/generate); same idempotency as createJob. */
  generate(command: CreateGenerationJobCommand, options: CreateOptions = {}): Promise<JobCreatedResponse> {
    return this.api.generate(command, options.idempotencyKey ?? crypto.randomUUID(), options.signal);
  }

  /**
   * One job's events, starting with its current state and ending after its final event (completed, failed or
   * canceled). A dropped connection resumes where it broke.
   *
   *     for await (const event of sdk.jobEvents(job.id)) console.log(event.type, event.progress);
   */
  jobEvents(jobId: string, options?: EventStreamOptions): AsyncGenerator<LiveJobEvent, void, undefined> {
    const url = `${this.baseUrl}/api/jobs/${encodeURIComponent(jobId)}/events`;
    return streamJobEvents(this.fetch, url, isFinalEvent, options);
  }

  /**
   * Every event of the signed-in user's jobs, starting with the active jobs' state; after a dropped connection,
   * each job that changed meanwhile comes first. Runs until `signal` aborts or the loop stops.
   */
  events(options?: EventStreamOptions): AsyncGenerator<LiveJobEvent, void, undefined> {
    return streamJobEvents(this.fetch, `${this.baseUrl}/api/events`, () => false, options);
  }

  private signedIn(answer: AuthResponse): AuthResponse {
    this.session.set({ accessToken: answer.token, refreshToken: answer.refreshToken });
    return answer;
  }
}
