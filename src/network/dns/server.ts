/**
 * The cluster DNS server: UDP and TCP on one address and port, answering the cluster zone
 * from the node's shared mirror of Services, EndpointSlices and Pods and forwarding everything
 * else.
 *
 * Lifecycle: `start` binds (the mirror, started by its owner first, holds a full list, and the
 * index is rebuilt from it, so a restart needs no state of its own); `stop` closes sockets and
 * is safe to call twice; the mirror's owner stops the mirror. The index is recomputed lazily on the first query after a change, so a burst of
 * watch events costs one rebuild, and an answer never lags the mirror.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIPv6, type Server, type Socket } from 'node:net';
import type { Pod, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { KubeObject } from '../../api/types.js';
import { DEFAULT_ADDRESS_PLAN } from '../address-plan.js';
import { parseCidr } from '../cidr.js';
import { CLUSTER_DOMAIN, DEFAULT_POD_CIDR, DEFAULT_SERVICE_CIDR } from '../defaults.js';
import type { ObjectMirror } from '../object-mirror.js';
import { Forwarder } from './forwarder.js';
import { handleMessage, type MessageDeps } from './message.js';
import { buildZoneIndex, type ZoneIndex } from './records.js';
import { readResolvConf, type Upstream } from './resolv-conf.js';
import { answerQuestion, type PodRecordMode, type ZoneOptions } from './zone.js';

export interface DnsServerOptions {
  host: string;
  /** 0 picks a free port (see `port` after start). */
  port: number;
  zone?: string;
  /** Record TTL in seconds (CoreDNS's kubernetes plugin default: 5; kubeadm's Corefile: 30). */
  ttl?: number;
  podMode?: PodRecordMode;
  serviceCidr?: string;
  podCidr?: string;
  /** Upstream resolvers; default: the nameservers of `resolvConf`. */
  upstreams?: readonly Upstream[];
  resolvConf?: string;
  forwardTimeoutMs?: number;
  /** Largest query accepted (bytes); a bigger one gets FORMERR (UDP) or closes the TCP stream. */
  maxQueryBytes?: number;
  /** A TCP connection idle this long is closed (RFC 7766 suggests seconds, not minutes). */
  tcpIdleMs?: number;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
}

export interface DnsServerDeps {
  /** Services, EndpointSlices and Pods (SERVICE_NETWORK_RESOURCES), started by its owner. */
  mirror: ObjectMirror;
}

/** Tries to find one port free for both UDP and TCP when asked for port 0. */
const MAX_BIND_ATTEMPTS = 10;

const DEFAULTS = {
  ttl: 30,
  forwardTimeoutMs: 2000,
  maxQueryBytes: 512,
  tcpIdleMs: 10_000,
  maxForwardsInFlight: 1024,
};

export class ClusterDnsServer {
  readonly #o: DnsServerOptions;
  readonly #mirror: ObjectMirror;
  readonly #forwarder: Forwarder;
  readonly #zone: Omit<ZoneOptions, 'serial'>;
  #index: { generation: number; index: ZoneIndex; serial: number } | undefined;
  #udp: UdpSocket | undefined;
  #tcp: Server | undefined;
  readonly #conns = new Set<Socket>();

  constructor(deps: DnsServerDeps, o: DnsServerOptions) {
    this.#o = o;
    this.#mirror = deps.mirror;
    const upstreams =
      o.upstreams ?? readResolvConf(o.resolvConf, [DEFAULT_ADDRESS_PLAN.clusterDnsIP, o.host]);
    this.#forwarder = new Forwarder({
      upstreams,
      timeoutMs: o.forwardTimeoutMs ?? DEFAULTS.forwardTimeoutMs,
      maxInFlight: DEFAULTS.maxForwardsInFlight,
    });
    this.#zone = {
      zone: (o.zone ?? CLUSTER_DOMAIN).toLowerCase().replace(/\.$/, ''),
      ttl: o.ttl ?? DEFAULTS.ttl,
      podMode: o.podMode ?? 'insecure',
      reverseCidrs: [
        parseCidr(o.serviceCidr ?? DEFAULT_SERVICE_CIDR),
        parseCidr(o.podCidr ?? DEFAULT_POD_CIDR),
      ],
    };
  }

  /** The bound port (meaningful after start). */
  get port(): number {
    const a = this.#udp?.address();
    return a ? a.port : this.#o.port;
  }

  async start(): Promise<void> {
    const deps: MessageDeps = {
      maxQueryBytes: this.#o.maxQueryBytes ?? DEFAULTS.maxQueryBytes,
      answer: (name, type) => {
        const { index, serial } = this.#currentIndex();
        return answerQuestion(name, type, index, { ...this.#zone, serial });
      },
      forward: (q, t) => this.#forwarder.forward(q, t),
    };
    // TCP binds the port UDP got, so a port of 0 means one free port for both; when that
    // port is taken for TCP, try another (bounded: a fixed port fails at once).
    for (let attempt = 1; ; attempt++) {
      const udp = await this.#bindUdp(deps);
      this.#udp = udp;
      try {
        this.#tcp = await this.#bindTcp(deps, udp.address().port);
        return;
      } catch (err) {
        this.#udp = undefined;
        await new Promise<void>((r) => udp.close(() => r()));
        const inUse = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
        if (this.#o.port !== 0 || !inUse || attempt >= MAX_BIND_ATTEMPTS) throw err;
      }
    }
  }

  async stop(): Promise<void> {
    for (const c of this.#conns) c.destroy();
    const udp = this.#udp;
    const tcp = this.#tcp;
    this.#udp = undefined;
    this.#tcp = undefined;
    if (udp) await new Promise<void>((r) => udp.close(() => r()));
    if (tcp) await new Promise<void>((r) => tcp.close(() => r()));
  }

  /** The index for the mirror's current generation, rebuilt at most once per change burst. */
  #currentIndex(): { index: ZoneIndex; serial: number } {
    const gen = this.#mirror.generation;
    if (this.#index?.generation !== gen) {
      const index = buildZoneIndex({
        zone: this.#zone.zone,
        services: this.#mirror.list('services') as Service[],
        endpointSlices: this.#mirror.list<EndpointSlice & KubeObject>('endpointslices'),
        pods: this.#mirror.list('pods') as Pod[],
      });
      this.#index = { generation: gen, index, serial: Math.floor(Date.now() / 1000) };
    }
    return this.#index;
  }

  #bindUdp(deps: MessageDeps): Promise<UdpSocket> {
    return new Promise((resolve, reject) => {
      const sock = createSocket({ type: isIPv6(this.#o.host) ? 'udp6' : 'udp4' });
      sock.once('error', reject);
      sock.on('message', (msg, rinfo) => {
        this.#respond(msg, 'udp', deps).then((reply) => {
          if (reply && this.#udp === sock) sock.send(reply, rinfo.port, rinfo.address);
        });
      });
      sock.bind(this.#o.port, this.#o.host, () => {
        sock.off('error', reject);
        sock.on('error', (err) => this.#o.log?.('dns: udp socket error', { error: String(err) }));
        resolve(sock);
      });
    });
  }

  #bindTcp(deps: MessageDeps, port: number): Promise<Server> {
    return new Promise((resolve, reject) => {
      const server = createServer((conn) => this.#serveTcp(conn, deps));
      server.once('error', reject);
      server.listen(port, this.#o.host, () => {
        server.off('error', reject);
        resolve(server);
      });
    });
  }

  /** Length-prefixed messages, pipelined; answers may go out of order (RFC 7766 6.2.1.1). */
  #serveTcp(conn: Socket, deps: MessageDeps): void {
    this.#conns.add(conn);
    conn.setTimeout(this.#o.tcpIdleMs ?? DEFAULTS.tcpIdleMs, () => conn.destroy());
    conn.on('close', () => this.#conns.delete(conn));
    conn.on('error', () => conn.destroy());
    let buf = Buffer.alloc(0);
    conn.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2) {
        const len = buf.readUInt16BE(0);
        if (len > deps.maxQueryBytes) {
          // Oversized over TCP: nothing after it can be framed reliably, so close.
          conn.destroy();
          return;
        }
        if (buf.length < 2 + len) break;
        const msg = buf.subarray(2, 2 + len);
        buf = buf.subarray(2 + len);
        this.#respond(msg, 'tcp', deps).then((reply) => {
          if (!reply || conn.destroyed) return;
          const prefix = Buffer.alloc(2);
          prefix.writeUInt16BE(reply.length);
          conn.write(Buffer.concat([prefix, reply]));
        });
      }
    });
  }

  /** Never rejects: an internal error drops that one message and the server keeps answering. */
  async #respond(msg: Buffer, transport: 'udp' | 'tcp', deps: MessageDeps): Promise<Buffer | undefined> {
    try {
      return await handleMessage(msg, transport, deps);
    } catch (err) {
      this.#o.log?.('dns: query failed', { error: String(err), transport });
      return undefined;
    }
  }
}
