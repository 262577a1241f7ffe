// The pipeline's bulk-bytes connection: a city-chunk goes to Redis straight from the splitter's buffer and
// comes back into one buffer a worker reuses for every chunk.
//
// Why not ioredis for these two commands: it copies every command holding a Buffer into a fresh Buffer, and
// assembles every bulk reply into another. For a run that is the whole file twice over (hundreds of
// megabytes) in short-lived allocations, paid in page faults and garbage collection by the orchestrator
// and the workers: measured on a 600 MB file, ≈ 0.5 s of system time on the sending side alone against
// ≈ 0.15 s for the same bytes sent from one buffer. Everything else stays on ioredis.
//
// It speaks just enough RESP for its requests (SET with a bulk value and an expiry, GET, and the connection's
// own AUTH / SELECT / CLIENT SETNAME), one request at a time; the connection settings are those ioredis
// parsed from REDIS_URL (host, port, user, password, database, TLS).
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import type { Redis } from 'ioredis';

const CR = 0x0d;
/** Free bytes the inbox offers each socket read: plain TCP reads land in it directly (net's `onread`). */
const READ_ROOM = 64 * 1024;

export interface ChunkLinkOptions {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  /** TLS options (rediss://), or undefined for plain TCP. */
  tls?: ConnectionOptions;
  connectionName?: string;
  connectTimeoutMs?: number;
}

/** A Redis error reply (`-ERR …`) as an Error whose message is the reply's text. */
export class RedisReplyError extends Error {
  override name = 'RedisReplyError';
}

type Reply = number | string | Buffer | null;

interface Pending {
  resolve: (reply: Reply) => void;
  reject: (err: Error) => void;
}

export class ChunkLink {
  private socket: Socket | null = null;
  private connecting: Promise<Socket> | null = null;
  /** Requests are chained: one is on the wire at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  private pending: Pending | null = null;
  /**
   * Bytes of the reply being read; reused from one reply to the next, so it grows to the largest chunk read
   * (the splitter bounds a chunk's size) and stays there.
   */
  private inbox = Buffer.allocUnsafeSlow(64 * 1024);
  private inboxLength = 0;
  private closed = false;

  constructor(private readonly options: ChunkLinkOptions) {}

  /** A link to the Redis an ioredis connection talks to, with the same settings. */
  static like(redis: Redis, connectionName?: string): ChunkLink {
    const o = redis.options;
    // Typed as TLS options, but `rediss://` without any gives `true`.
    const tls = o.tls as ConnectionOptions | boolean | undefined;
    if (o.path) throw new Error('a Redis reached through a Unix socket path is not supported for chunk transfers');
    return new ChunkLink({
      host: o.host ?? 'localhost',
      port: o.port ?? 6379,
      username: o.username || undefined,
      password: o.password || undefined,
      db: o.db ?? 0,
      tls: tls ? { servername: o.host, ...(tls === true ? {} : tls) } : undefined,
      connectionName,
      connectTimeoutMs: o.connectTimeout ?? 10_000,
    });
  }

  /**
   * Sets `key` to `data` for `ttlMs` milliseconds (SET … PX), sent from `data`'s own memory (leave it untouched
   * until the promise settles).
   */
  setBytes(key: string, data: Buffer, ttlMs: number): Promise<void> {
    return this.enqueue(async () => {
      const reply = await this.request(['SET', key], data, false, ['PX', String(ttlMs)]);
      if (reply !== 'OK') throw new Error(`SET answered ${String(reply)}, expected OK`);
    });
  }

  /**
   * The value at `key` (null when there is none). The Buffer is the link's own: it is valid until the next
   * request made on this link, so read it before awaiting anything else.
   */
  getBytes(key: string): Promise<Buffer | null> {
    return this.enqueue(async () => {
      const reply = await this.request(['GET', key], undefined, true);
      if (reply !== null && !Buffer.isBuffer(reply)) throw new Error(`GET answered ${String(reply)}, expected bytes`);
      return reply;
    });
  }

  /** Ends the connection (a request on the wire fails). */
  close(): void {
    this.closed = true;
    this.drop(new Error('chunk link closed'));
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Sends one command (string parts, then optionally a bulk argument and the string parts after it) and waits for its reply. */
  private async request(parts: string[], bytes?: Buffer, bytesReply = false, after: string[] = []): Promise<Reply> {
    if (this.closed) throw new Error('chunk link closed');
    const socket = this.socket ?? (await this.connect());
    return this.exchange(socket, parts, bytes, bytesReply, after);
  }

  private exchange(socket: Socket, parts: string[], bytes?: Buffer, bytesReply = false, after: string[] = []): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      this.pending = { resolve: (reply) => resolve(bytesReply || !Buffer.isBuffer(reply) ? reply : reply.toString()), reject };
      this.inboxLength = 0;
      const encode = (part: string): string => `$${Buffer.byteLength(part)}\r\n${part}\r\n`;
      const head = `*${parts.length + (bytes ? 1 + after.length : 0)}\r\n${parts.map(encode).join('')}`;
      socket.cork();
      if (bytes) {
        socket.write(`${head}$${bytes.length}\r\n`);
        socket.write(bytes);
        socket.write(`\r\n${after.map(encode).join('')}`);
      } else {
        socket.write(head);
      }
      socket.uncork();
    });
  }

  private connect(): Promise<Socket> {
    this.connecting ??= this.open().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async open(): Promise<Socket> {
    const { host, port, tls, connectTimeoutMs = 10_000 } = this.options;
    const socket = await new Promise<Socket>((resolve, reject) => {
      // Over plain TCP the socket reads straight into the inbox instead of into a fresh 64 KiB Buffer per read:
      // a chunk's megabytes arrive with no garbage and no copy. (TLS sockets have no such option.)
      const s = tls
        ? tlsConnect({ host, port, ...tls })
        : netConnect({ host, port, onread: { buffer: () => this.readRoom(), callback: (nread: number, buf: Uint8Array) => this.received(buf, nread) } });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new Error(`chunk link: no connection to ${host}:${port} within ${connectTimeoutMs} ms`));
      }, connectTimeoutMs);
      s.once(tls ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        resolve(s);
      });
      s.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    socket.setNoDelay(true);
    if (tls) socket.on('data', (bytes: Buffer) => this.receive(bytes));
    socket.on('error', (err) => this.drop(err));
    socket.on('close', () => this.drop(new Error('chunk link: connection to Redis closed')));
    this.socket = socket;
    try {
      const { username, password, db, connectionName } = this.options;
      if (password !== undefined) await this.exchange(socket, username ? ['AUTH', username, password] : ['AUTH', password]);
      if (db) await this.exchange(socket, ['SELECT', String(db)]);
      if (connectionName) await this.exchange(socket, ['CLIENT', 'SETNAME', connectionName]);
    } catch (err) {
      this.drop(err as Error);
      throw err;
    }
    return socket;
  }

  /** Forgets the connection (the next request opens a new one) and fails the request on the wire. */
  private drop(err: Error): void {
    const socket = this.socket;
    this.socket = null;
    socket?.destroy();
    const pending = this.pending;
    this.pending = null;
    pending?.reject(err);
  }

  /** Where the next plain TCP read lands: the inbox's free bytes after what it holds (grown to READ_ROOM). */
  private readRoom(): Buffer {
    if (this.inbox.length - this.inboxLength < READ_ROOM) this.growInbox(this.inboxLength + READ_ROOM);
    return this.inbox.subarray(this.inboxLength);
  }

  /** A plain TCP read of `nread` bytes into `buf`: in place when `buf` is the inbox's free room, else copied. */
  private received(buf: Uint8Array, nread: number): boolean {
    if (buf.buffer === this.inbox.buffer && buf.byteOffset === this.inbox.byteOffset + this.inboxLength) {
      this.inboxLength += nread;
      this.answer();
    } else {
      this.receive(Buffer.from(buf.buffer, buf.byteOffset, nread));
    }
    return true; // keep reading
  }

  private growInbox(needed: number): void {
    const grown = Buffer.allocUnsafeSlow(Math.max(needed, this.inbox.length * 2));
    this.inbox.copy(grown, 0, 0, this.inboxLength);
    this.inbox = grown;
  }

  /** Bytes that arrived elsewhere (TLS, or a read into room handed out before the inbox was reset). */
  private receive(bytes: Buffer): void {
    const needed = this.inboxLength + bytes.length;
    if (needed > this.inbox.length) this.growInbox(needed);
    bytes.copy(this.inbox, this.inboxLength);
    this.inboxLength = needed;
    this.answer();
  }

  /** Settles the request on the wire once its whole reply is in the inbox. */
  private answer(): void {
    if (this.pending === null) {
      this.drop(new Error('chunk link: Redis sent bytes nobody asked for'));
      return;
    }
    let reply: Reply | RedisReplyError | undefined;
    try {
      reply = this.parse();
    } catch (err) {
      this.drop(err as Error);
      return;
    }
    if (reply === undefined) return;
    const pending = this.pending;
    this.pending = null;
    // The next reply is read from the inbox's start (a Buffer reply stays valid until the next request).
    this.inboxLength = 0;
    if (reply instanceof RedisReplyError) pending.reject(reply);
    else pending.resolve(reply);
  }

  /** The complete reply in the inbox, or undefined while bytes are missing. Only the reply kinds asked for. */
  private parse(): Reply | RedisReplyError | undefined {
    const inbox = this.inbox;
    const length = this.inboxLength;
    let lineEnd = 1;
    while (lineEnd < length && inbox[lineEnd] !== CR) lineEnd++;
    if (lineEnd + 1 >= length) return undefined;
    const line = inbox.toString('latin1', 1, lineEnd);
    switch (inbox[0]) {
      case 0x2b: // +
        return line;
      case 0x2d: // -
        return new RedisReplyError(inbox.toString('utf8', 1, lineEnd));
      case 0x3a: // :
        return Number(line);
      case 0x24: {
        // $
        const size = Number(line);
        if (size < 0) return null;
        const start = lineEnd + 2;
        if (length < start + size + 2) return undefined;
        return inbox.subarray(start, start + size);
      }
      default:
        throw new Error(`chunk link: unexpected reply from Redis (${inbox.toString('latin1', 0, Math.min(length, 40))})`);
    }
  }
}
