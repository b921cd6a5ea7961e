import { CodecError } from '../codec-error.js';

const CRLF2 = Buffer.from('\r\n\r\n');
const LF2 = Buffer.from('\n\n');

/** The boundary of a `multipart/mixed` or `multipart/x-mixed-replace` content type, or null if not multipart. */
export function multipartBoundary(contentType: string | undefined): string | null {
  if (contentType === undefined) return null;
  const [type, ...params] = contentType.split(';');
  if (!/^\s*multipart\/(mixed|x-mixed-replace)\s*$/i.test(type ?? '')) return null;
  for (const param of params) {
    const m = /^\s*boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))\s*$/i.exec(param);
    if (m) return m[1] ?? m[2] ?? null;
  }
  throw new CodecError('content-type', `multipart response without a boundary parameter: "${contentType}"`);
}

/**
 * Splits a streamed multipart body into its parts. Parts are cut by their Content-Length (an XML
 * document may contain anything, so searching for the boundary inside it is unsafe); a part without
 * Content-Length falls back to the next boundary. Chunks can split anywhere, even inside headers.
 */
export class MultipartReader {
  private buffer: Buffer = Buffer.alloc(0);
  private readonly delimiter: Buffer;
  private readonly nextDelimiter: Buffer;
  /** body length still to read for the current part, or null while looking for headers */
  private pending: { length: number | null } | null = null;
  private ended = false;

  constructor(
    boundary: string,
    private readonly maxPartBytes = 64 * 1024 * 1024,
  ) {
    // cppagent's own client prefixes "--"; some agents already put it in the parameter
    const token = boundary.startsWith('--') ? boundary : `--${boundary}`;
    this.delimiter = Buffer.from(token, 'latin1');
    this.nextDelimiter = Buffer.from(`\r\n${token}`, 'latin1');
  }

  /** True once the closing `--boundary--` arrived. */
  get done(): boolean {
    return this.ended;
  }

  /** Feeds a chunk; returns every part body completed by it. */
  push(chunk: Buffer): Buffer[] {
    if (this.ended) return [];
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const parts: Buffer[] = [];
    for (;;) {
      if (this.pending === null) {
        if (!this.readHeaders()) break;
        if (this.ended) break;
      }
      const body = this.readBody();
      if (body === null) break;
      parts.push(body);
    }
    if (this.buffer.length > this.maxPartBytes) {
      throw new CodecError('multipart', `part larger than ${this.maxPartBytes} bytes`);
    }
    return parts;
  }

  private readHeaders(): boolean {
    const start = this.buffer.indexOf(this.delimiter);
    if (start < 0) {
      // keep a tail that could be the start of a split delimiter
      if (this.buffer.length > this.delimiter.length) this.buffer = this.buffer.subarray(-this.delimiter.length);
      return false;
    }
    const afterDelimiter = start + this.delimiter.length;
    if (this.buffer.length < afterDelimiter + 2) return false;
    if (this.buffer[afterDelimiter] === 0x2d && this.buffer[afterDelimiter + 1] === 0x2d) {
      this.ended = true;
      this.buffer = Buffer.alloc(0);
      return true;
    }
    let end = this.buffer.indexOf(CRLF2, afterDelimiter);
    let sep = CRLF2.length;
    const lfEnd = this.buffer.indexOf(LF2, afterDelimiter);
    if (lfEnd >= 0 && (end < 0 || lfEnd < end)) {
      end = lfEnd;
      sep = LF2.length;
    }
    if (end < 0) {
      if (this.buffer.length - start > 16 * 1024) throw new CodecError('multipart', 'part headers longer than 16 KiB');
      return false;
    }
    const headers = this.buffer.subarray(afterDelimiter, end).toString('latin1');
    let length: number | null = null;
    for (const line of headers.split(/\r?\n/)) {
      const m = /^\s*content-length\s*:\s*(\S+)\s*$/i.exec(line);
      if (!m) continue;
      if (!/^\d+$/.test(m[1]!)) throw new CodecError('multipart.Content-Length', `not a byte count: "${m[1]!}"`);
      length = Number(m[1]);
      if (length > this.maxPartBytes) {
        throw new CodecError('multipart.Content-Length', `${length} exceeds the ${this.maxPartBytes} byte limit`);
      }
    }
    this.buffer = this.buffer.subarray(end + sep);
    this.pending = { length };
    return true;
  }

  private readBody(): Buffer | null {
    const length = this.pending!.length;
    if (length !== null) {
      if (this.buffer.length < length) return null;
      const body = Buffer.from(this.buffer.subarray(0, length));
      this.buffer = this.buffer.subarray(length);
      this.pending = null;
      return body;
    }
    const end = this.buffer.indexOf(this.nextDelimiter);
    if (end < 0) return null;
    const body = Buffer.from(this.buffer.subarray(0, end));
    this.buffer = this.buffer.subarray(end + 2);
    this.pending = null;
    return body;
  }
}
