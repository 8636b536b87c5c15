import { ApiException, type TokenResponse } from "./client.js";

/** The signature of `fetch`, which the SDK wraps (pass your own, e.g. one with a proxy or logging). */
export type FetchLike = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** A signed-in session: the short-lived access token and the single-use refresh token. */
export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

export interface SessionOptions {
  /** A session saved earlier (see onTokens), to continue without signing in again. */
  tokens?: Tokens;
  /** Called whenever the tokens change (sign-in, refresh), and with undefined when the session ends: persist them here. */
  onTokens?: (tokens: Tokens | undefined) => void;
  /**
   * Called once when the service refuses the refresh token (it expired, was revoked, or the user logged out
   * elsewhere): the tokens are gone and the user must sign in again.
   */
  onSessionEnded?: (reason: unknown) => void;
}

/** Holds the tokens and refreshes them; concurrent callers that were refused share a single refresh. */
export class Session {
  private current: Tokens | undefined;
  private refreshing: Promise<string | undefined> | undefined;

  constructor(
    private readonly refreshCall: (refreshToken: string) => Promise<TokenResponse>,
    private readonly options: SessionOptions,
  ) {
    this.current = options.tokens;
  }

  get tokens(): Tokens | undefined {
    return this.current;
  }

  set(tokens: Tokens | undefined): void {
    this.current = tokens;
    this.options.onTokens?.(tokens);
  }

  /**
   * A working access token after `refused` was turned down: the one another caller has refreshed meanwhile, or a
   * new one from a refresh that every caller waiting at the same time shares. Undefined when there is no session
   * or the service ended it. A failure to reach the service is thrown, and the tokens stay.
   */
  renew(refused: string | undefined): Promise<string | undefined> {
    const current = this.current;
    if (!current) return Promise.resolve(undefined);
    if (current.accessToken !== refused) return Promise.resolve(current.accessToken);
    this.refreshing ??= this.refresh(current.refreshToken).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async refresh(refreshToken: string): Promise<string | undefined> {
    try {
      const answer = await this.refreshCall(refreshToken);
      this.set({ accessToken: answer.token, refreshToken: answer.refreshToken });
      return answer.token;
    } catch (error) {
      if (!isRefusal(error)) throw error;
      // Only the session that was refreshed ends: a sign-in meanwhile has tokens of its own.
      if (this.current?.refreshToken === refreshToken) {
        this.set(undefined);
        this.options.onSessionEnded?.(error);
      }
      return undefined;
    }
  }
}

/** The service answered and said no (4xx): unlike a network failure or a 5xx, trying again will not help. */
function isRefusal(error: unknown): boolean {
  const status = ApiException.isApiException(error) ? error.status : (error as { status?: unknown } | null)?.status;
  return typeof status === "number" && status >= 400 && status < 500 && status !== 408 && status !== 429;
}

// Sign-in calls go without the access token and never trigger a refresh: a 401 there means wrong credentials.
const signInPaths = [
  "/api/auth/login",
  "/api/auth/register",
  "/api/auth/register/verify",
  "/api/auth/refresh",
  "/api/auth/request-password-reset",
  "/api/auth/reset-password",
];
// Logout sends the access token (so it stops working at once) but is not worth a refresh.
const noRefreshPaths = [...signInPaths, "/api/auth/logout"];
// Calls that create a job: they get an Idempotency-Key when the caller gave none, so the retry after a refresh
// (or the caller's own retry of the same call) returns the first job instead of making a second one.
const createPaths = ["/api/jobs", "/api/generate"];

/**
 * Wraps fetch for the generated client: adds the access token, and on a 401 refreshes the session once (shared
 * with every other call refused at the same time) and sends the request again with the new token.
 */
export function authorizingFetch(base: FetchLike, session: Session): FetchLike {
  return async (input, init) => {
    const path = pathOf(input);
    const headers = headersWithIdempotencyKey(input, init, path);
    const withToken = !signInPaths.some((p) => path.endsWith(p));
    const send = (token: string | undefined) => {
      const sent = new Headers(headers);
      if (withToken && token) sent.set("Authorization", `Bearer ${token}`);
      return base(input, { ...init, headers: sent });
    };

    const token = withToken ? session.tokens?.accessToken : undefined;
    const response = await send(token);
    if (response.status !== 401 || token === undefined || noRefreshPaths.some((p) => path.endsWith(p)) || !canSendAgain(init?.body)) {
      return response;
    }
    const renewed = await session.renew(token);
    if (renewed === undefined) return response;
    await response.body?.cancel().catch(() => undefined);
    return send(renewed);
  };
}

/**
 * Wraps fetch for the generated client with an API key instead of a session: every call carries the key, and a
 * 401 is final (a revoked or expired key does not come back by itself).
 */
export function apiKeyFetch(base: FetchLike, apiKey: string): FetchLike {
  return (input, init) => {
    const headers = headersWithIdempotencyKey(input, init, pathOf(input));
    headers.set("X-API-Key", apiKey);
    return base(input, { ...init, headers });
  };
}

function headersWithIdempotencyKey(input: RequestInfo | URL, init: RequestInit | undefined, path: string): Headers {
  const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
  const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
  if (method === "POST" && createPaths.some((p) => path.endsWith(p)) && !headers.get("Idempotency-Key")) {
    headers.set("Idempotency-Key", crypto.randomUUID());
  }
  return headers;
}

function pathOf(input: RequestInfo | URL): string {
  const url = input instanceof URL ? input.href : typeof input === "string" ? input : input.url;
  return new URL(url, "http://localhost").pathname.replace(/\/+$/, "");
}

/** A stream body is used up by the first attempt; the generated client only sends strings and form data. */
function canSendAgain(body: BodyInit | null | undefined): boolean {
  return !(typeof ReadableStream !== "undefined" && body instanceof ReadableStream);
}
