// What the journey is pointed at. It starts nothing itself: build/e2e.sh (or you) runs the service.
export interface JourneySettings {
  /** The service, e.g. http://127.0.0.1:8081 (no trailing slash). */
  baseUrl: string;
  /** The service's e-mail pickup folder (Email:PickupDirectory), where the verification code arrives. */
  mailDir: string;
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): JourneySettings {
  const baseUrl = env.E2E_BASE_URL?.replace(/\/+$/, "");
  const mailDir = env.E2E_MAIL_DIR;
  if (!baseUrl || !mailDir) {
    throw new Error("Set E2E_BASE_URL (the running service) and E2E_MAIL_DIR (its e-mail pickup folder).");
  }
  return { baseUrl, mailDir };
}
