import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The built server (`npm test` builds it first). */
export const KERF_MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/** A port nobody listens on, on the loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface KerfProcess {
  child: ChildProcess;
  port: number;
  /** `http://127.0.0.1:{port}/api/v1` */
  api: string;
  output: () => string;
  /** resolves once a line containing `text` was printed */
  waitFor: (text: string, ms?: number) => Promise<void>;
  /** SIGKILL: no shutdown hooks run, as when the machine loses power */
  kill: () => Promise<void>;
}

/**
 * Starts a real Kerf process (`node dist/main.js`) on the loopback with the given environment
 * (database, roles, Redis...), no demo shop, no simulator, no MQTT unless asked; resolves when it
 * listens. Callers kill it in their cleanup.
 */
export async function startKerfProcess(env: Record<string, string>, ms = 60_000): Promise<KerfProcess> {
  if (!existsSync(KERF_MAIN)) throw new Error(`${KERF_MAIN} is missing: run npm run build first`);
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, [KERF_MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      KERF_DEMO: '0',
      KERF_SIM: '0',
      KERF_MQTT: '0',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waitFor = (text: string, wait = ms) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${text}" within ${wait} ms:\n${output}`)), wait);
      const look = () => {
        if (output.includes(text)) {
          clearTimeout(timer);
          resolve();
        } else if (child.exitCode !== null) {
          clearTimeout(timer);
          reject(new Error(`kerf exited (${child.exitCode}) before "${text}":\n${output}`));
        } else setTimeout(look, 50);
      };
      look();
    });
  const proc: KerfProcess = {
    child,
    port,
    api: `http://127.0.0.1:${port}/api/v1`,
    output: () => output,
    waitFor,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
  try {
    await waitFor('kerf: listening on');
  } catch (err) {
    await proc.kill();
    throw err;
  }
  return proc;
}

/** Logs in over HTTP and returns the bearer token. */
export async function loginOver(api: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${api}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login as ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}
