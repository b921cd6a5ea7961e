import { createServer, type Server } from 'node:net';
import { Aedes, type AedesOptions, type Client } from 'aedes';
import type { Database } from '../../platform/db.js';
import { DeviceAuthenticator, topicAllowed } from './devices.js';

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
}

export interface BrokerCounters {
  connections: number;
  refusedLogins: number;
  refusedPublishes: number;
  refusedSubscribes: number;
}

interface Grant {
  internal: boolean;
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
  readonly counters: BrokerCounters = { connections: 0, refusedLogins: 0, refusedPublishes: 0, refusedSubscribes: 0 };
  private aedes: Aedes | undefined;
  private server: Server | undefined;
  private persistence: AedesOptions['persistence'];
  private readonly grants = new WeakMap<Client, Grant>();
  private readonly devices: DeviceAuthenticator;
  private readonly openListeners = new Set<(aedes: Aedes) => Promise<void>>();
  port = 0;

  constructor(
    database: Database,
    private readonly options: BrokerOptions,
  ) {
    this.devices = new DeviceAuthenticator(database);
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
        this.login(client, username, password?.toString('utf8')).then(
          (ok) => {
            if (!ok) this.counters.refusedLogins++;
            else this.counters.connections++;
            if (ok) done(null, true);
            else done(Object.assign(new Error('bad user name or password'), { returnCode: 4 }), false);
          },
          () => done(Object.assign(new Error('server unavailable'), { returnCode: 3 }), false),
        );
      },
      authorizePublish: (client, packet, done) => {
        const grant = client ? this.grants.get(client) : undefined;
        if (!client || grant?.internal || (grant && topicAllowed(packet.topic, grant.prefixes))) return done(null);
        this.counters.refusedPublishes++;
        this.options.log(`mqtt: refused publish by ${client.id} to ${packet.topic}`);
        done(new Error(`publishing to ${packet.topic} is not allowed for this client`));
      },
      authorizeSubscribe: (client, sub, done) => {
        const grant = this.grants.get(client);
        if (grant?.internal || (grant?.subscribe && topicAllowed(sub.topic, grant.prefixes))) return done(null, sub);
        this.counters.refusedSubscribes++;
        this.options.log(`mqtt: refused subscription by ${client.id} to ${sub.topic}`);
        done(new Error(`subscribing to ${sub.topic} is not allowed for this client`));
      },
    });
    this.persistence = (aedes as unknown as { persistence: AedesOptions['persistence'] }).persistence;
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
      if (password !== internal.password) return false;
      this.grants.set(client, { internal: true, prefixes: [], subscribe: true });
      return true;
    }
    const device = await this.devices.authenticate(username, password ?? '');
    if (!device) return false;
    this.grants.set(client, { internal: false, prefixes: device.allowedTopics, subscribe: true });
    return true;
  }

  async stop(): Promise<void> {
    const aedes = this.aedes;
    const server = this.server;
    this.aedes = undefined;
    this.server = undefined;
    if (aedes) await new Promise<void>((resolve) => aedes.close(() => resolve()));
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
