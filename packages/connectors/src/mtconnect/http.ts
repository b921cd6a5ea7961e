import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** No byte arrived within the allowed time (request timeout, or a stream's heartbeat timeout). */
export class MTConnectTimeoutError extends Error {
  override readonly name = 'MTConnectTimeoutError';
  constructor(
    readonly url: string,
    readonly timeoutMs: number,
  ) {
    super(`no data from ${url} for ${timeoutMs} ms`);
  }
}

/**
 * GET with an idle timeout: the socket must not stay silent for `idleTimeoutMs`. Resolves with the
 * response once headers arrived; the body is left to the caller (a stream never ends).
 */
export function openGet(url: URL, idleTimeoutMs: number, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    let response: IncomingMessage | undefined;
    const req = send(url, { method: 'GET', headers: { accept: 'text/xml, multipart/*' }, signal }, (res) => {
      response = res;
      resolve(res);
    });
    req.setTimeout(idleTimeoutMs, () => {
      // destroy the response too, so a reader waiting on the body sees this error, not a bare "aborted"
      const error = new MTConnectTimeoutError(url.toString(), idleTimeoutMs);
      response?.destroy(error);
      req.destroy(error);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Whole body of a GET (for probe/current/polled sample), bounded by `timeoutMs` of silence. */
export async function getText(
  url: URL,
  timeoutMs: number,
  signal: AbortSignal,
  maxBytes = 256 * 1024 * 1024,
): Promise<{ status: number; body: string }> {
  const res = await openGet(url, timeoutMs, signal);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      res.destroy();
      throw new Error(`response from ${url.toString()} exceeds ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') };
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
