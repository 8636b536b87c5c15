import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { simpleParser } from "mailparser";

/** The service's pickup folder read as a mailbox: each .eml file is one e-mail it sent. */
export class PickupMailbox {
  constructor(private readonly folder: string) {}

  /** Waits for an e-mail to the address (delivery runs in the background) and returns its plain text. */
  async waitForText(to: string, patienceMs = 30_000): Promise<string> {
    const deadline = Date.now() + patienceMs;
    for (;;) {
      const text = await this.firstTo(to);
      if (text !== undefined) return text;
      if (Date.now() > deadline) throw new Error(`no e-mail to ${to} in ${this.folder} after ${patienceMs} ms`);
      await delay(100);
    }
  }

  async waitForVerificationCode(to: string): Promise<string> {
    const text = await this.waitForText(to);
    const code = /enter this code:\s+(\d{6})/.exec(text)?.[1];
    if (!code) throw new Error(`no 6-digit code in the e-mail to ${to}:\n${text}`);
    return code;
  }

  private async firstTo(to: string): Promise<string | undefined> {
    let names: string[];
    try {
      names = (await readdir(this.folder)).filter((name) => name.endsWith(".eml"));
    } catch {
      return undefined; // The folder appears with the first e-mail.
    }
    for (const name of names) {
      const mail = await simpleParser(await readFile(join(this.folder, name)));
      const recipients = [mail.to ?? []].flat().flatMap((address) => address.value.map((v) => v.address?.toLowerCase()));
      if (recipients.includes(to.toLowerCase())) return `${mail.subject ?? ""}\n\n${mail.text ?? ""}`;
    }
    return undefined;
  }
}
