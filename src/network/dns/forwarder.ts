/**
 * Forwards a query the cluster zone does not own to the upstream resolvers, over the same
 * transport the client used (a UDP answer with TC set is relayed as is, so the client retries
 * over TCP, which is then forwarded over TCP). Upstreams are tried in order; each gets
 * `timeoutMs`. Resolves undefined when none answered in time (the caller sends SERVFAIL).
 */
import { createSocket } from 'node:dgram';
import { isIPv6, Socket } from 'node:net';
import type { Upstream } from './resolv-conf.js';

export interface ForwarderOptions {
  upstreams: readonly Upstream[];
  timeoutMs: number;
  /** Queries in flight at once; beyond this new ones get undefined (SERVFAIL) at once. */
  maxInFlight: number;
}

export class Forwarder {
  readonly #o: ForwarderOptions;
  #inFlight = 0;

  constructor(o: ForwarderOptions) {
    this.#o = o;
  }

  async forward(query: Buffer, transport: 'udp' | 'tcp'): Promise<Buffer | undefined> {
    if (this.#inFlight >= this.#o.maxInFlight) return undefined;
    this.#inFlight++;
    try {
      for (const up of this.#o.upstreams) {
        const reply = await (transport === 'udp' ? udpExchange : tcpExchange)(query, up, this.#o.timeoutMs);
        if (reply) return reply;
      }
      return undefined;
    } finally {
      this.#inFlight--;
    }
  }
}

/** One query over UDP from a fresh socket (a fresh random source port per query). */
function udpExchange(query: Buffer, up: Upstream, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const sock = createSocket(isIPv6(up.host) ? 'udp6' : 'udp4');
    let finished = false;
    const done = (reply: Buffer | undefined) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      sock.close();
      resolve(reply);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    sock.on('error', () => done(undefined));
    sock.on('message', (msg, rinfo) => {
      // Only the upstream's answer to this query ID counts; anything else is ignored.
      if (
        rinfo.address === up.host &&
        rinfo.port === up.port &&
        msg.length >= 2 &&
        msg.readUInt16BE(0) === query.readUInt16BE(0)
      ) {
        done(msg);
      }
    });
    sock.send(query, up.port, up.host);
  });
}

/** One query over TCP: 2-byte length prefix each way (RFC 1035 4.2.2). */
function tcpExchange(query: Buffer, up: Upstream, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const sock = new Socket();
    let buf = Buffer.alloc(0);
    let finished = false;
    const done = (reply: Buffer | undefined) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(reply);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    sock.on('error', () => done(undefined));
    sock.on('close', () => done(undefined));
    sock.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0))
        done(buf.subarray(2, 2 + buf.readUInt16BE(0)));
    });
    sock.connect(up.port, up.host, () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(query.length);
      sock.write(Buffer.concat([len, query]));
    });
  });
}
