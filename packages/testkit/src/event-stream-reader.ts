// A Server-Sent Events client for tests: opens a stream on a connection of its own (node:http, no pooled
// keep-alive sockets left behind to hold a closing server up), parses its events as they come (the
// text/event-stream format: `event:`, `data:`, `retry:` and comment lines, a blank line ending each event),
// keeps them all, and lets a test wait for the one it expects instead of sleeping.
import { get, type IncomingMessage } from 'node:http';

export interface StreamEvent {
  /** `message` when the event has no name, as in browsers. */
  event: string;
  data: string;
  retry?: number;
  /** When it arrived (Date.now()). */
  receivedAt: number;
}

interface Waiter {
  predicate: (event: StreamEvent) => boolean;
  from: number;
  resolve: (event: StreamEvent) => void;
}

export class EventStreamReader {
  /** Every event received, in order. */
  readonly events: StreamEvent[] = [];
  /** Comment lines received (heartbeats). */
  comments = 0;
  /** Resolves when the server ends the stream (or close() is called). */
  readonly ended: Promise<void>;
  private readonly waiters = new Set<Waiter>();
  private finished = false;
  private markEnded: () => void = () => undefined;

  private constructor(
    private readonly response: IncomingMessage,
  ) {
    this.ended = new Promise((resolve) => {
      this.markEnded = resolve;
    });
  }

  /** Opens `url` as an event stream; throws unless the answer is 200 text/event-stream. */
  static async open(url: string, headers: Record<string, string> = {}): Promise<EventStreamReader> {
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      get(url, { headers: { accept: 'text/event-stream', ...headers }, agent: false }, resolve).on('error', reject);
    });
    const type = response.headers['content-type'] ?? '';
    if (response.statusCode !== 200 || !type.startsWith('text/event-stream')) {
      let body = '';
      for await (const chunk of response) body += String(chunk);
      throw new Error(`${url} answered ${response.statusCode} ${type}: ${body.slice(0, 300)}`);
    }
    const reader = new EventStreamReader(response);
    void reader.pump();
    return reader;
  }

  /** The answer's headers (names in lower case). */
  get headers(): IncomingMessage['headers'] {
    return this.response.headers;
  }

  /** Events of that name received so far, their data parsed as JSON. */
  all<T>(event: string): T[] {
    return this.events.filter((e) => e.event === event).map((e) => JSON.parse(e.data) as T);
  }

  /**
   * The first event (from index `from` of {@link events} on) that matches, as soon as it has arrived; rejects
   * after `timeoutMs`, or when the stream ends first.
   */
  waitFor(predicate: (event: StreamEvent) => boolean, options: { timeoutMs?: number; from?: number; what?: string } = {}): Promise<StreamEvent> {
    const from = options.from ?? 0;
    const found = this.events.slice(from).find(predicate);
    if (found) return Promise.resolve(found);
    const timeoutMs = options.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        from,
        resolve: (event) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(event);
        },
      };
      const fail = (reason: string) => {
        this.waiters.delete(waiter);
        const seen = this.events.map((e) => e.event).join(', ');
        reject(new Error(`${reason} waiting for ${options.what ?? 'an event'}; received: ${seen || 'none'}`));
      };
      const timer = setTimeout(() => fail(`timed out after ${timeoutMs} ms`), timeoutMs);
      this.waiters.add(waiter);
      void this.ended.then(() => {
        if (this.waiters.has(waiter)) {
          clearTimeout(timer);
          fail('the stream ended');
        }
      });
    });
  }

  /** Waits for the next event named `event` whose JSON data matches `predicate`, and returns that data. */
  async next<T>(event: string, predicate: (data: T) => boolean = () => true, timeoutMs = 10_000): Promise<T> {
    const found = await this.waitFor((e) => e.event === event && predicate(JSON.parse(e.data) as T), {
      timeoutMs,
      what: `a ${event} event`,
    });
    return JSON.parse(found.data) as T;
  }

  close(): void {
    this.response.destroy();
  }

  get isEnded(): boolean {
    return this.finished;
  }

  private async pump(): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    let current: Partial<StreamEvent> & { dataLines: string[] } = { dataLines: [] };
    try {
      for await (const bytes of this.response as AsyncIterable<Buffer>) {
        buffer += decoder.decode(bytes, { stream: true });
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline).replace(/\r$/, '');
          buffer = buffer.slice(newline + 1);
          if (line === '') {
            if (current.dataLines.length > 0 || current.event !== undefined) {
              this.dispatch({
                event: current.event ?? 'message',
                data: current.dataLines.join('\n'),
                retry: current.retry,
                receivedAt: Date.now(),
              });
            }
            current = { dataLines: [] };
          } else if (line.startsWith(':')) {
            this.comments += 1;
          } else {
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'event') current.event = value;
            else if (field === 'data') current.dataLines.push(value);
            else if (field === 'retry') current.retry = Number(value);
          }
        }
      }
    } catch {
      // Aborted by close(), or the connection was cut: either way the stream is over.
    } finally {
      this.finished = true;
      this.markEnded();
    }
  }

  private dispatch(event: StreamEvent): void {
    this.events.push(event);
    const index = this.events.length - 1;
    for (const waiter of [...this.waiters]) {
      if (index >= waiter.from && waiter.predicate(event)) waiter.resolve(event);
    }
  }
}
