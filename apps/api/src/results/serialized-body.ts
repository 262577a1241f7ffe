// A response body serialised and UTF-8 encoded once, with the entity tag that lets clients revalidate it and
// the headers of its answers, so serving it copies ready values and writes ready bytes.
// Kept over @fastify/etag and @fastify/compress, which redo that work on every answer: over 10 % less
// API CPU per answer (bench/results/findings.md, issue 16), and each coding has its own strong ETag.
import { createHash } from 'node:crypto';
import { compress, MIN_COMPRESSED_BYTES, type ContentCoding } from './content-coding.js';
import { VilleRecord } from './projections.js';

export type AnswerHeaders = Readonly<Record<string, string>>;

/** One form of a body as sent: its bytes and the headers of a 200 and of a 304 with it. */
export interface Representation {
  bytes: Buffer;
  etag: string;
  ok: AnswerHeaders;
  notModified: AnswerHeaders;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const CODINGS: readonly ContentCoding[] = ['br', 'gzip'];

/** The tag of a compressed form: the identity tag with the coding appended inside the quotes. */
function codedTag(etag: string, coding: ContentCoding): string {
  return `${etag.slice(0, -1)}-${coding}"`;
}

function representation(runId: string, bytes: Buffer, etag: string, coding: ContentCoding | null): Representation {
  // Vary on every form, identity included: a shared cache must not hand a compressed body to a client that
  // did not ask for one, nor the reverse.
  const notModified: AnswerHeaders = { 'x-run-id': runId, etag, 'cache-control': 'no-cache', vary: 'accept-encoding' };
  const ok: Record<string, string> = { ...notModified, 'content-type': JSON_TYPE, 'content-length': String(bytes.length) };
  if (coding !== null) ok['content-encoding'] = coding;
  return { bytes, etag, ok, notModified };
}

export class SerializedBody {
  readonly identity: Representation;
  /** The tags of every form, made or not, so a client's copy matches whichever process it came from. */
  private readonly tags: ReadonlySet<string>;
  private readonly compressed = new Map<ContentCoding, Representation | null>();

  /** Strong ETag: the run that produced the body plus a digest of the bytes (two variants never share one). */
  constructor(
    readonly runId: string,
    value: unknown,
  ) {
    const bytes = Buffer.from(value instanceof VilleRecord ? value.toJsonText() : JSON.stringify(value), 'utf8');
    const digest = createHash('sha1').update(bytes).digest('base64url').slice(0, 16);
    const etag = `"${runId}-${digest}"`;
    this.identity = representation(runId, bytes, etag, null);
    this.tags = new Set([etag, ...CODINGS.map((coding) => codedTag(etag, coding))]);
  }

  get bytes(): Buffer {
    return this.identity.bytes;
  }

  get etag(): string {
    return this.identity.etag;
  }

  /**
   * The form to send for a client's preferred coding: compressed the first time it is asked for, then kept.
   * Compressed forms have their own ETag (`"<run>-<digest>-br"`), as the bytes differ; identity when the body
   * is too small to gain, or when compressing would not make it smaller.
   */
  as(coding: ContentCoding | null): Representation {
    if (coding === null || this.identity.bytes.length < MIN_COMPRESSED_BYTES) return this.identity;
    let form = this.compressed.get(coding);
    if (form === undefined) {
      const bytes = compress(this.identity.bytes, coding);
      form = bytes.length < this.identity.bytes.length ? representation(this.runId, bytes, codedTag(this.etag, coding), coding) : null;
      this.compressed.set(coding, form);
    }
    return form ?? this.identity;
  }

  /**
   * Whether an If-None-Match header (`*`, one tag or a list, weak or strong) names this body in any of its
   * forms: they hold the same JSON, so a client's copy of one form is as current as the others.
   */
  matches(ifNoneMatch: string | undefined): boolean {
    if (!ifNoneMatch) return false;
    if (ifNoneMatch.trim() === '*') return true;
    return ifNoneMatch.split(',').some((tag) => this.tags.has(tag.trim().replace(/^W\//, '')));
  }
}
