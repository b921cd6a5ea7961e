import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { Aedes, type AedesOptions, type Client } from 'aedes';
import type { Database } from '../../platform/db.js';
import type { Rejection } from '../ingest/rejection-log.js';
import { MachineRegistry } from '../registry.js';
import { DeviceAuthenticator, topicAllowed } from './devices.js';
import { DEFAULT_LOGIN_LIMITS, LoginThrottle, type LoginLimits } from './login-throttle.js';
import { machineTopicProblem } from './publish-guard.js';

export interface BrokerOptions {
  host: string;
  port: number;
  /** the port was chosen explicitly: taken is an error instead of a fallback */
  portExplicit: boolean;
  /** clients without credentials may publish machine data (demo only) */
  anonymous: boolean;
  /** Kerf's own subscriber: may subscribe to everything and publish Sparkplug commands */
  internal: { username: string; password: string };
  log: (msg: string) => void;
  /** machines a publish is checked against (department and code in the topic); default: its own copy */
  registry?: MachineRegistry;
  /** failed-login limits per user name and per remote address */
  loginLimits?: LoginLimits;
  /** how often live device connections are checked against `mqtt_devices` (revoked elsewhere); default 5 s */
  recheckMs?: number;
  now?: () => number;
  /** where refused publishes and subscriptions are recorded per device (the ingest's rejection log) */
  rejections?: { record: (r: Rejection) => void };
}

export interface BrokerCounters {
  connections: number;
  refusedLogins: number;
  /** logins refused unchecked: too many failures for the user name or the address */
  throttledLogins: number;
  /** live device connections closed because the device was revoked, rotated or changed */
  closedConnections: number;
  refusedPublishes: number;
  refusedSubscribes: number;
}

interface Grant {
  internal: boolean;
  /** the device's login and row version, for closing its connections when it changes */
  device?: { username: string; version: number };
  prefixes: string[];
  subscribe: boolean;
}

const ANONYMOUS_PREFIXES = ['shopfloor/', 'spBv1.0/'];

export class PortTakenError extends Error {}

/**
 * The embedded MQTT broker (Aedes, MQTT 3.1.1). Devices log in with credentials from
 * `mqtt_devices` and may only publish and subscribe under their topic prefixes.
 */
export class EmbeddedBroker {
  readonly counters: BrokerCounters = {
    connections: 0,
    refusedLogins: 0,
    throttledLogins: 0,
    closedConnections: 0,
    refusedPublishes: 0,
    refusedSubscribes: 0,
  };
  private aedes: Aedes | undefined;
  private server: Server | undefined;
  private persistence: AedesOptions['persistence'];
  private readonly grants = new WeakMap<Client, Grant>();
  private readonly devices: DeviceAuthenticator;
  private readonly registry: MachineRegistry;
  private readonly throttle: LoginThrottle;
  /** clients logged in as a device, to close when the device is revoked */
  private readonly deviceClients = new Set<Client>();
  private recheck: NodeJS.Timeout | undefined;
  private readonly openListeners = new Set<(aedes: Aedes) => Promise<void>>();
  port = 0;

  constructor(
    private readonly database: Database,
    private readonly options: BrokerOptions,
  ) {
    this.devices = new DeviceAuthenticator(database);
    this.registry = options.registry ?? new MachineRegistry(database);
    this.throttle = new LoginThrottle(options.loginLimits ?? DEFAULT_LOGIN_LIMITS, options.now);
  }

  get url(): string {
    return `mqtt://${this.options.host === '0.0.0.0' ? '127.0.0.1' : this.options.host}:${this.port}`;
  }

  /** the running Aedes instance (undefined while stopped) */
  get instance(): Aedes | undefined {
    return this.aedes;
  }

  /**
   * Calls `listener` with every new Aedes instance (each start) before the port listens, so an
   * in-process subscriber misses no device message. Returns the function that removes it.
   */
  onOpen(listener: (aedes: Aedes) => Promise<void>): () => void {
    this.openListeners.add(listener);
    return () => this.openListeners.delete(listener);
  }

  /** Listens; on restart the same port and the same session store (queued QoS 1 messages survive). */
  async start(): Promise<void> {
    const aedes = await Aedes.createBroker({
      ...(this.persistence ? { persistence: this.persistence } : {}),
      authenticate: (client, username, password, done) => {
        const address = client.conn && 'remoteAddress' in client.conn ? String(client.conn.remoteAddress) : 'unknown';
        const name = username ?? '';
        if (!this.throttle.begin(name, address)) {
          this.counters.throttledLogins++;
          this.counters.refusedLogins++;
          this.options.log(`mqtt: refused login of "${name}" from ${address}: too many failed logins, try again later`);
          return done(Object.assign(new Error('too many failed logins'), { returnCode: 5 }), false);
        }
        this.login(client, username, password?.toString('utf8')).then(
          (ok) => {
            this.throttle.end(name, address, ok);
            if (!ok) this.counters.refusedLogins++;
            else this.counters.connections++;
            if (ok) done(null, true);
            else done(Object.assign(new Error('bad user name or password'), { returnCode: 4 }), false);
          },
          () => {
            this.throttle.end(name, address, true);
            done(Object.assign(new Error('server unavailable'), { returnCode: 3 }), false);
          },
        );
      },
      authorizePublish: (client, packet, done) => {
        const grant = client ? this.grants.get(client) : undefined;
        // No client: Kerf's own publish through the broker object (Sparkplug rebirth commands).
        if (!client || grant?.internal) return done(null);
        const refuse = (why: string) => {
          this.counters.refusedPublishes++;
          this.options.log(`mqtt: refused publish by ${client.id} to ${packet.topic}: ${why}`);
          this.options.rejections?.record({
            device: grant?.device?.username ?? `client ${client.id}`,
            reason: 'topic_refused',
            message: `publish refused: ${why}`,
            topic: packet.topic,
            machine: machineOfTopic(packet.topic),
          });
          done(new Error(`publishing to ${packet.topic} is not allowed for this client: ${why}`));
        };
        if (!grant || !topicAllowed(packet.topic, grant.prefixes)) return refuse('outside its topic grants');
        machineTopicProblem(packet.topic, this.registry).then(
          (problem) => (problem ? refuse(problem) : done(null)),
          () => refuse('the machine registry could not be read'),
        );
      },
      authorizeSubscribe: (client, sub, done) => {
        const grant = this.grants.get(client);
        if (grant?.internal || (grant?.subscribe && topicAllowed(sub.topic, grant.prefixes))) return done(null, sub);
        this.counters.refusedSubscribes++;
        this.options.log(`mqtt: refused subscription by ${client.id} to ${sub.topic}`);
        this.options.rejections?.record({
          device: grant?.device?.username ?? `client ${client.id}`,
          reason: 'subscribe_refused',
          message: 'subscription outside its topic grants',
          topic: sub.topic,
        });
        done(new Error(`subscribing to ${sub.topic} is not allowed for this client`));
      },
    });
    this.persistence = (aedes as unknown as { persistence: AedesOptions['persistence'] }).persistence;
    aedes.on('clientDisconnect', (client) => this.deviceClients.delete(client));
    this.aedes = aedes;
    try {
      for (const listener of this.openListeners) await listener(aedes);
    } catch (err) {
      this.aedes = undefined;
      aedes.close();
      throw err;
    }
    this.server = createServer(aedes.handle);
    const wanted = this.port || this.options.port;
    try {
      await this.listen(wanted);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      if (this.options.portExplicit || this.port !== 0) {
        this.aedes = undefined;
        aedes.close();
        throw new PortTakenError(
          `KERF_MQTT_PORT: port ${wanted} on ${this.options.host} is already in use; choose another port or stop what uses it`,
        );
      }
      this.options.log(
        `kerf: MQTT port ${wanted} is taken (another broker such as Mosquitto?); the embedded broker uses a free port instead`,
      );
      this.server = createServer(aedes.handle);
      await this.listen(0);
    }
    const every = this.options.recheckMs ?? 5_000;
    this.recheck = setInterval(() => void this.recheckDevices().catch(() => undefined), every);
    this.recheck.unref();
  }

  /**
   * Closes the live connections of a device at once (revoked or rotated through this process) and
   * forgets its remembered logins. Returns how many connections were closed.
   */
  disconnectDevice(username: string): number {
    this.devices.forget(username);
    return this.closeWhere((d) => d.username === username);
  }

  /**
   * Closes connections whose device was revoked, rotated or changed elsewhere (the CLI, another
   * Kerf instance): their row is gone, disabled or has a newer version than at login.
   */
  async recheckDevices(): Promise<number> {
    const names = [...new Set([...this.deviceClients].map((c) => this.grants.get(c)?.device?.username))].filter(
      (n): n is string => n !== undefined,
    );
    if (names.length === 0) return 0;
    const rows = await this.database.query<{ username: string; version: number; enabled: boolean }>(
      'SELECT username, version, enabled FROM mqtt_devices WHERE username = ANY($1)',
      [names],
    );
    const current = new Map(rows.filter((r) => r.enabled).map((r) => [r.username, r.version]));
    return this.closeWhere((d) => current.get(d.username) !== d.version);
  }

  private closeWhere(stale: (device: { username: string; version: number }) => boolean): number {
    let closed = 0;
    for (const client of this.deviceClients) {
      const device = this.grants.get(client)?.device;
      if (!device || !stale(device)) continue;
      this.deviceClients.delete(client);
      this.grants.delete(client);
      client.close();
      closed++;
    }
    this.counters.closedConnections += closed;
    if (closed > 0) this.options.log(`mqtt: closed ${closed} connection(s) of revoked or changed devices`);
    return closed;
  }

  private listen(port: number): Promise<void> {
    const server = this.server!;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.options.host, () => {
        server.off('error', reject);
        const address = server.address();
        this.port = typeof address === 'object' && address ? address.port : port;
        resolve();
      });
    });
  }

  private async login(client: Client, username: string | undefined, password: string | undefined): Promise<boolean> {
    const { internal, anonymous } = this.options;
    if (username === undefined || username === '') {
      if (!anonymous) return false;
      this.grants.set(client, { internal: false, prefixes: ANONYMOUS_PREFIXES, subscribe: false });
      return true;
    }
    if (username === internal.username) {
      if (!sameSecret(password ?? '', internal.password)) {
        await this.devices.burn(password ?? '');
        return false;
      }
      this.grants.set(client, { internal: true, prefixes: [], subscribe: true });
      return true;
    }
    const device = await this.devices.authenticate(username, password ?? '');
    if (!device) return false;
    this.grants.set(client, {
      internal: false,
      prefixes: device.allowedTopics,
      subscribe: true,
      device: { username: device.username, version: device.version },
    });
    this.deviceClients.add(client);
    return true;
  }

  async stop(): Promise<void> {
    clearInterval(this.recheck);
    this.deviceClients.clear();
    const aedes = this.aedes;
    const server = this.server;
    this.aedes = undefined;
    this.server = undefined;
    if (aedes) await new Promise<void>((resolve) => aedes.close(() => resolve()));
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The machine code a shopfloor or Sparkplug device topic names, for the rejection record. */
function machineOfTopic(topic: string): string | null {
  const parts = topic.split('/');
  if (parts[0] === 'shopfloor') return parts[2] ?? null;
  if (parts[0] === 'spBv1.0' && parts[1] !== 'STATE') return parts[4] ?? parts[3] ?? null;
  return null;
}
