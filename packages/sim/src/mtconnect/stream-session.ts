import type { ServerResponse } from 'node:http';

/** What a streaming /sample needs from the agent, one call per chunk. */
export interface StreamSource {
  firstSequence(): number;
  nextSequence(): number;
  isStalled(): boolean;
  /** Streams document for observations from `from` (at most `count`), and where the next chunk starts. */
  sample(from: number, count: number): { xml: string; next: number };
  outOfRange(from: number): string;
}

/**
 * One client's `/sample?interval=` stream: a never-ending multipart body. Data goes out at most every
 * `interval` ms; an empty Streams document goes out when nothing was sent for `heartbeat` ms. A client
 * whose `from` fell out of the buffer gets an OUT_OF_RANGE part and the stream ends, as cppagent does.
 */
export class StreamSession {
  private from: number;
  private lastWrite = 0;
  private timer: NodeJS.Timeout | undefined;
  private waitingForData = false;
  private closed = false;

  constructor(
    private readonly source: StreamSource,
    private readonly res: ServerResponse,
    private readonly boundary: string,
    from: number,
    private readonly count: number,
    private readonly interval: number,
    private readonly heartbeat: number,
    private readonly onClose: (session: StreamSession) => void,
  ) {
    this.from = from;
    res.on('close', () => this.close());
    this.schedule(0);
  }

  /** New data arrived: send it once the interval since the last chunk has passed. */
  wake(): void {
    if (!this.waitingForData || this.closed) return;
    this.waitingForData = false;
    this.schedule(Math.max(0, this.lastWrite + this.interval - Date.now()));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    this.onClose(this);
    if (!this.res.writableEnded) this.res.destroy();
  }

  private schedule(delay: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), delay);
  }

  private tick(): void {
    if (this.closed) return;
    if (this.source.isStalled()) {
      // a hung agent: nothing at all goes out, not even heartbeats
      this.schedule(20);
      return;
    }
    if (this.res.writableNeedDrain) {
      this.res.once('drain', () => this.tick());
      return;
    }
    if (this.from < this.source.firstSequence()) {
      this.write(this.source.outOfRange(this.from));
      this.res.end();
      this.close();
      return;
    }
    const now = Date.now();
    if (this.from < this.source.nextSequence()) {
      const { xml, next } = this.source.sample(this.from, this.count);
      this.from = next;
      this.write(xml);
      this.schedule(this.interval);
      return;
    }
    if (now - this.lastWrite >= this.heartbeat) this.write(this.source.sample(this.from, 0).xml);
    this.waitingForData = true;
    this.schedule(Math.max(1, this.lastWrite + this.heartbeat - now));
  }

  private write(xml: string): void {
    const body = Buffer.from(xml, 'utf8');
    const head = `--${this.boundary}\r\nContent-type: text/xml\r\nContent-length: ${body.length}\r\n\r\n`;
    this.res.write(Buffer.concat([Buffer.from(head, 'latin1'), body, Buffer.from('\r\n', 'latin1')]));
    this.lastWrite = Date.now();
  }
}
