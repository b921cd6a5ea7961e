import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SourceStatus } from './source.js';

export interface HealthReport {
  /** ok: upstream connected and every source connected; degraded otherwise (the gateway still buffers). */
  status: 'ok' | 'degraded';
  gatewayId: string;
  upstream: { url: string; connected: boolean; error: string | null };
  buffer: {
    depth: number;
    inflight: number;
    oldestAgeSeconds: number | null;
    diskBytes: number;
    fullPolicy: string;
  };
  counters: Record<string, number>;
  sources: SourceStatus[];
}

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/**
 * GET /health (JSON) and GET /metrics (Prometheus text) on 127.0.0.1 only: the gateway sits on the
 * shop-floor network, and its numbers are for a local agent or an SSH tunnel, not the world.
 * /health answers 200 even when degraded: buffering through an outage is the gateway working.
 */
export async function startHealthServer(
  port: number,
  handlers: { health: () => HealthReport; metrics: () => string },
): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET' }).end();
      return;
    }
    try {
      if (path === '/health') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(handlers.health()));
      } else if (path === '/metrics') {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(handlers.metrics());
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /health or /metrics\n');
      }
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`${(error as Error).message}\n`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
