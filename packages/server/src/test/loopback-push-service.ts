import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify, type ECDH } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * A push service on 127.0.0.1 for tests, speaking the real wire format: what a browser's push
 * service (FCM, Mozilla autopush) checks and what the browser then decrypts. It holds each
 * subscription's user-agent keys the way a browser does (a P-256 pair and a 16-byte auth
 * secret), checks the VAPID header (RFC 8292) and decrypts the aes128gcm body (RFC 8291 over
 * RFC 8188) itself, so a wrong key, signature, audience or encryption step on Kerf's side shows
 * up as a rejection here instead of a receipt.
 */

export interface LoopbackSubscription {
  endpoint: string;
  /** base64url, as PushSubscription.toJSON() gives them */
  keys: { p256dh: string; auth: string };
}

export interface PushReceipt {
  endpoint: string;
  /** the decrypted message */
  plaintext: string;
  /** the VAPID public key (`k=`) the message was signed with */
  vapidKey: string;
  claims: { aud: string; exp: number; sub: string };
  ttl: string | undefined;
  urgency: string | undefined;
  receivedAt: number;
}

export interface PushRejection {
  endpoint: string;
  status: number;
  reason: string;
}

interface Held {
  ecdh: ECDH;
  publicKey: Buffer;
  auth: Buffer;
  /** answer with this status instead of accepting (404/410 = gone, 5xx = trouble) */
  answer?: number;
}

const b64u = (b: Buffer) => b.toString('base64url');

export class LoopbackPushService {
  readonly receipts: PushReceipt[] = [];
  readonly rejections: PushRejection[] = [];
  private readonly held = new Map<string, Held>();
  private waiters: (() => void)[] = [];
  private server: Server | undefined;
  private origin = '';

  /** Starts listening on an ephemeral loopback port. */
  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address() as { port: number };
    this.origin = `http://127.0.0.1:${address.port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** What a browser's PushManager.subscribe() does: a fresh key pair and auth secret for a new endpoint. */
  subscribe(): LoopbackSubscription {
    const ecdh = createECDH('prime256v1');
    const publicKey = ecdh.generateKeys();
    const auth = randomBytes(16);
    const endpoint = `${this.origin}/push/${b64u(randomBytes(18))}`;
    this.held.set(new URL(endpoint).pathname, { ecdh, publicKey, auth });
    return { endpoint, keys: { p256dh: b64u(publicKey), auth: b64u(auth) } };
  }

  /** From now on the endpoint answers `status` (410: the user unsubscribed; 500: the service is in trouble). */
  answer(endpoint: string, status: number): void {
    const held = this.held.get(new URL(endpoint).pathname);
    if (!held) throw new Error(`unknown endpoint ${endpoint}`);
    held.answer = status;
  }

  receiptsFor(endpoint: string): PushReceipt[] {
    return this.receipts.filter((r) => r.endpoint === endpoint);
  }

  /** Resolves once `count` receipts or rejections (all endpoints) have come, or fails after `ms`. */
  async waitFor(count: number, ms = 5000): Promise<void> {
    const done = () => this.receipts.length + this.rejections.length >= count;
    const until = Date.now() + ms;
    while (!done()) {
      const left = until - Date.now();
      if (left <= 0)
        throw new Error(
          `push service: ${this.receipts.length} receipts and ${this.rejections.length} rejections, wanted ${count}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const path = new URL(req.url ?? '/', this.origin).pathname;
    const endpoint = `${this.origin}${path}`;
    const reject = (status: number, reason: string) => {
      this.rejections.push({ endpoint, status, reason });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(reason);
      this.wake();
    };
    const held = this.held.get(path);
    if (req.method !== 'POST') return reject(405, 'POST only');
    if (!held) return reject(404, 'no such subscription');
    if (held.answer !== undefined) return reject(held.answer, 'told to answer so');
    try {
      const vapid = checkVapid(req.headers.authorization, this.origin);
      if (req.headers['content-encoding'] !== 'aes128gcm')
        return reject(400, `content-encoding ${String(req.headers['content-encoding'])}`);
      if (req.headers.ttl === undefined) return reject(400, 'TTL header missing (RFC 8030 5.2)');
      const plaintext = decryptAes128gcm(body, held).toString('utf8');
      this.receipts.push({
        endpoint,
        plaintext,
        vapidKey: vapid.key,
        claims: vapid.claims,
        ttl: header(req, 'ttl'),
        urgency: header(req, 'urgency'),
        receivedAt: performance.now(),
      });
      res.writeHead(201, { location: `${this.origin}/message/${b64u(randomBytes(8))}` }).end();
      this.wake();
    } catch (err) {
      const e = err as Error & { status?: number };
      reject(e.status ?? 400, e.message);
    }
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

const fail = (status: number, message: string) => Object.assign(new Error(message), { status });

/**
 * RFC 8292: `Authorization: vapid t=<JWT>, k=<P-256 public key>`; the JWT is ES256 over that
 * key, its audience is this service's origin and it expires within 24 hours.
 */
function checkVapid(authorization: string | undefined, origin: string): { key: string; claims: PushReceipt['claims'] } {
  const m = /^vapid\s+(.*)$/i.exec(authorization ?? '');
  if (!m) throw fail(401, 'no vapid authorization');
  const params = new Map<string, string>();
  for (const part of m[1]!.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const token = params.get('t');
  const key = params.get('k');
  if (!token || !key) throw fail(401, 'vapid header without t= or k=');
  const raw = Buffer.from(key, 'base64url');
  if (raw.length !== 65 || raw[0] !== 4) throw fail(401, 'k is not an uncompressed P-256 point');
  const [h, p, s] = token.split('.');
  if (!h || !p || !s) throw fail(401, 't is not a JWS compact serialization');
  const head = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { alg?: string; typ?: string };
  if (head.alg !== 'ES256') throw fail(401, `JWT alg ${String(head.alg)}, expected ES256`);
  const publicKey = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: b64u(raw.subarray(1, 33)), y: b64u(raw.subarray(33, 65)) },
    format: 'jwk',
  });
  const signature = Buffer.from(s, 'base64url');
  // JWS ES256 signatures are r || s (64 bytes), not DER.
  const good = verify('sha256', Buffer.from(`${h}.${p}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature);
  if (!good) throw fail(403, 'JWT signature does not verify with k');
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as PushReceipt['claims'];
  if (claims.aud !== origin) throw fail(403, `JWT aud ${claims.aud}, expected ${origin}`);
  const now = Date.now() / 1000;
  if (typeof claims.exp !== 'number' || claims.exp <= now) throw fail(403, 'JWT expired');
  if (claims.exp > now + 24 * 3600 + 60) throw fail(403, 'JWT exp more than 24 hours ahead');
  if (typeof claims.sub !== 'string' || !/^(mailto:|https:)/.test(claims.sub))
    throw fail(403, 'JWT sub is neither mailto: nor https:');
  return { key, claims };
}

/**
 * RFC 8188 framing (salt 16 | record size 4 | key id length 1 | key id = the sender's ephemeral
 * public key), RFC 8291 key derivation, then AES-128-GCM record by record.
 */
export function decryptAes128gcm(body: Buffer, ua: { ecdh: ECDH; publicKey: Buffer; auth: Buffer }): Buffer {
  if (body.length < 21) throw fail(400, 'body shorter than the aes128gcm header');
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20]!;
  const asPublic = body.subarray(21, 21 + idlen);
  if (idlen !== 65 || asPublic[0] !== 4) throw fail(400, 'key id is not the sender’s uncompressed P-256 key');
  if (rs < 18) throw fail(400, `record size ${rs} too small`);
  const records = body.subarray(21 + idlen);

  const ecdhSecret = ua.ecdh.computeSecret(asPublic);
  // RFC 8291 3.3: IKM = HKDF(auth_secret, ecdh_secret, "WebPush: info" 0x00 ua_public as_public, 32)
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0', 'latin1'), ua.publicKey, asPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, ua.auth, keyInfo, 32));
  // RFC 8188 2.2/2.3: CEK and base nonce from the salt.
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0', 'latin1'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0', 'latin1'), 12));

  const out: Buffer[] = [];
  let seq = 0;
  for (let at = 0; at < records.length; at += rs, seq++) {
    const record = records.subarray(at, at + rs);
    const last = at + rs >= records.length;
    if (record.length < 17) throw fail(400, `record ${seq} too short`);
    const iv = Buffer.from(nonce);
    // nonce XOR the record's sequence number (big-endian; it fits the low 32 bits)
    iv.writeUInt32BE((iv.readUInt32BE(8) ^ seq) >>> 0, 8);
    const decipher = createDecipheriv('aes-128-gcm', cek, iv);
    decipher.setAuthTag(record.subarray(record.length - 16));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
    } catch {
      throw fail(400, `record ${seq} does not decrypt (wrong keys or derivation)`);
    }
    // padding: content, then the delimiter (2 on the last record, 1 before), then zeros
    let end = plain.length - 1;
    while (end >= 0 && plain[end] === 0) end--;
    if (end < 0) throw fail(400, `record ${seq} has no padding delimiter`);
    const delimiter = plain[end];
    if (delimiter !== (last ? 2 : 1)) throw fail(400, `record ${seq} delimiter ${delimiter}`);
    out.push(plain.subarray(0, end));
  }
  return Buffer.concat(out);
}
