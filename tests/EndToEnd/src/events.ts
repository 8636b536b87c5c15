import { EventSource } from "eventsource";
import type { JobEventMessage } from "@cleanbackend/client";

const EventTypes = ["queued", "started", "progress", "completed", "failed", "canceled"] as const;

/** A Server-Sent Events subscription that records every job event it receives, in order. */
export class EventRecorder {
  readonly received: JobEventMessage[] = [];
  private readonly source: EventSource;
  private waiters: Array<() => void> = [];
  private failure: Error | undefined;

  /** Opens the stream; resolves once the service has accepted it. */
  static async open(url: string): Promise<EventRecorder> {
    const recorder = new EventRecorder(url);
    await new Promise<void>((resolve, reject) => {
      recorder.source.onopen = () => resolve();
      recorder.source.onerror = (event) => {
        recorder.source.close();
        reject(new Error(`the event stream did not open: ${event.code ?? ""} ${event.message ?? ""}`));
      };
    });
    recorder.source.onerror = (event) => {
      // EventSource reconnects by itself after the service ends a stream; record real failures only.
      if (event.code !== undefined) recorder.fail(new Error(`event stream error ${event.code}: ${event.message ?? ""}`));
    };
    return recorder;
  }

  private constructor(url: string) {
    this.source = new EventSource(url);
    for (const type of EventTypes) {
      this.source.addEventListener(type, (event) => {
        const message = JSON.parse(event.data) as JobEventMessage;
        if (message.type !== type) this.fail(new Error(`event named ${type} carries type ${message.type}`));
        this.received.push(message);
        this.wake();
      });
    }
  }

  /** Waits until an event matching the predicate has arrived. */
  async waitFor(predicate: (message: JobEventMessage) => boolean, patienceMs = 60_000): Promise<JobEventMessage> {
    const deadline = Date.now() + patienceMs;
    for (;;) {
      if (this.failure) throw this.failure;
      const found = this.received.find(predicate);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`no matching event after ${patienceMs} ms; received: ${JSON.stringify(this.received)}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.source.close();
    this.wake();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
