/**
 * podbay's ingress controller, run by the node agent when pods run: the IngressClass
 * `podbay` (controller `podbay.io/ingress`) made real. It owns
 *
 *  - an HTTP listener and an HTTPS listener on the host (`--ingress-http`, `--ingress-https`;
 *    127.0.0.1:8080 and 127.0.0.1:8443 by default), the HTTPS one choosing its certificate by SNI
 *    from the Ingresses' TLS Secrets (certificates.ts);
 *  - the routing table (routes.ts) of the Ingresses it serves: those whose class (spec.ingressClassName,
 *    else the deprecated kubernetes.io/ingress.class annotation) is an IngressClass with controller
 *    podbay.io/ingress, and those with no class at all while such a class is the default one;
 *  - status.loadBalancer of those Ingresses: the listeners' address and ports, as ingress-nginx
 *    publishes its Service's address (so `kubectl get ing` shows ADDRESS); an Ingress it stops
 *    serving has that entry removed again.
 *
 * It reads Ingresses, IngressClasses and Secrets through a mirror of its own, and Services and
 * EndpointSlices through the node network's shared mirror (the one the service proxy reads), so
 * a backend is routable as soon as the proxy would route its ClusterIP.
 *
 *   start: HTTP listener (a port that cannot be bound is logged, and that listener stays off:
 *          the rest of the node runs) → mirror → first sync; in the background, the fallback
 *          certificate, then the HTTPS listener and a sync that publishes its port
 *   sync:  on every change, coalesced to one per turn of the event loop: table, certificates, status
 *   stop:  mirror → listeners closed, open connections and tunnels destroyed. Safe to call twice.
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Secret, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { Ingress, IngressClass, IngressLoadBalancerIngress } from 'kubernetes-types/networking/v1';
import type { KubeObject } from '../../api/types.js';
import type { EventRecorder, ObjectClient } from '../../controllers/client.js';
import { ObjectMirror } from '../object-mirror.js';
import { type BackendIndex, indexBackends, resolveBackend } from './backends.js';
import { CertificateStore } from './certificates.js';
import { fakeCertificate } from './fake-certificate.js';
import { servedBy } from './ingress-class.js';
import { IngressProxy } from './proxy.js';
import { buildRoutingTable, matchRoute, type RoutingTable } from './routes.js';

/** nginx's client_header_timeout and keepalive_timeout; Node's default header limit (16 KiB). */
const HEADERS_TIMEOUT_MS = 60_000;
const KEEP_ALIVE_TIMEOUT_MS = 75_000;
const STATUS_RETRY_MS = 1_000;

export interface IngressControllerOptions {
  client: ObjectClient;
  /** The node network's mirror of Services and EndpointSlices. */
  serviceMirror: Pick<ObjectMirror, 'generation' | 'list' | 'onChange'>;
  http: { host: string; port: number };
  https: { host: string; port: number };
  /** The address published in status (the listeners' host, or the node's IP for 0.0.0.0). */
  address: string;
  clock: { now(): Date };
  log: (msg: string, fields?: Record<string, unknown>) => void;
  /** Where the `Sync` events go (ingress-nginx's "Scheduled for sync"); none when absent. */
  events?: EventRecorder;
}

/** The events' source, as kubectl describe shows it (ingress-nginx's is nginx-ingress-controller). */
const EVENT_SOURCE = { component: 'podbay-ingress-controller' };

export class IngressController {
  readonly #o: IngressControllerOptions;
  readonly #mirror: ObjectMirror;
  readonly #proxy: IngressProxy;
  #table: RoutingTable = buildRoutingTable([]);
  #certs: CertificateStore | undefined;
  #backends: { generation: number; index: BackendIndex } | undefined;
  #servers: Server[] = [];
  #https: HttpsServer | undefined;
  #httpsPair: unknown;
  #httpsStarting: Promise<void> = Promise.resolve();
  readonly #sockets = new Set<Socket>();
  #ports: { http?: number; https?: number } = {};
  #syncQueued = false;
  #retry: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;
  #started = false;
  #lastProblems = '';
  /** uid → metadata.generation of each served Ingress already announced with a Sync event. */
  #announced = new Map<string, number>();

  constructor(o: IngressControllerOptions) {
    this.#o = o;
    this.#mirror = new ObjectMirror(o.client, ['ingresses', 'ingressclasses', 'secrets']);
    this.#proxy = new IngressProxy({
      route: (host, path) => matchRoute(this.#table, host, path),
      resolve: (route) => resolveBackend(this.#backendIndex(), route.namespace, route.backend),
      log: o.log,
    });
  }

  /** The bound ports (0 in the options picks a free one), once started; undefined when a listener is off. */
  get ports(): { http?: number; https?: number } {
    return { ...this.#ports };
  }

  /**
   * Starts the HTTP listener and the sync; the HTTPS listener follows in the background once its
   * fallback certificate is made (about half a second of RSA key generation and X.509 loading the
   * engine's start does not wait for). `httpsReady` settles when it listens, or could not.
   */
  async start(): Promise<void> {
    this.#started = true;
    const http = createHttpServer({
      headersTimeout: HEADERS_TIMEOUT_MS,
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    });
    this.#ports.http = await this.#listen(http, 'http', this.#o.http);
    this.#unsubscribe = this.#o.serviceMirror.onChange(() => {
      this.#backends = undefined;
    });
    this.#mirror.onChange(() => this.#queueSync());
    this.#mirror.start();
    this.#httpsStarting = this.#startHttps().catch((err) =>
      this.#o.log('ingress: HTTPS listener not started', { error: (err as Error).message }),
    );
    this.#o.log('ingress: controller ready', {
      http: this.#ports.http && `${this.#o.http.host}:${this.#ports.http}`,
    });
  }

  /** Settles once the HTTPS listener listens (or failed to); for tests and logs. */
  get httpsReady(): Promise<void> {
    return this.#httpsStarting;
  }

  async #startHttps(): Promise<void> {
    const certs = new CertificateStore(await fakeCertificate(this.#o.clock.now()));
    if (!this.#started) return;
    const https = createHttpsServer({
      ...certs.defaultPair,
      headersTimeout: HEADERS_TIMEOUT_MS,
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
      SNICallback: (name, cb) => cb(null, certs.contextFor(name)),
    });
    this.#certs = certs;
    this.#https = https;
    this.#httpsPair = certs.defaultPair;
    this.#ports.https = await this.#listen(https, 'https', this.#o.https);
    if (this.#ports.https !== undefined)
      this.#o.log('ingress: HTTPS listener ready', { https: `${this.#o.https.host}:${this.#ports.https}` });
    // Certificates from the Secrets, and the HTTPS port into status.
    this.#queueSync();
  }

  async #listen(
    server: Server,
    scheme: 'http' | 'https',
    at: { host: string; port: number },
  ): Promise<number | undefined> {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const port = (server.address() as AddressInfo | null)?.port ?? at.port;
      this.#proxy.handleRequest(req, res, scheme, port);
    });
    server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      const port = (server.address() as AddressInfo | null)?.port ?? at.port;
      this.#proxy.handleUpgrade(req, socket, head, scheme, port);
    });
    // A request Node cannot parse (or a TLS handshake that fails) never crashes anything: 400, closed.
    server.on('clientError', (_err: Error, socket: Socket) => {
      if (socket.writable && !socket.destroyed)
        socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
    server.on('connection', (s: Socket) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
    server.on('secureConnection', (s: Socket) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(at.port, at.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      this.#o.log(`ingress: cannot listen for ${scheme} on ${at.host}:${at.port}; that listener stays off`, {
        error: (err as Error).message,
      });
      return undefined;
    }
    server.on('error', (err) => this.#o.log(`ingress: ${scheme} listener error`, { error: err.message }));
    this.#servers.push(server);
    return (server.address() as AddressInfo).port;
  }

  #backendIndex(): BackendIndex {
    const generation = this.#o.serviceMirror.generation;
    if (this.#backends?.generation !== generation) {
      this.#backends = {
        generation,
        index: indexBackends(
          this.#o.serviceMirror.list<Service & KubeObject>('services') as Service[],
          this.#o.serviceMirror.list<EndpointSlice & KubeObject>('endpointslices') as EndpointSlice[],
        ),
      };
    }
    return this.#backends.index;
  }

  #queueSync(): void {
    if (this.#syncQueued || !this.#started) return;
    this.#syncQueued = true;
    setImmediate(() => {
      this.#syncQueued = false;
      if (this.#started) this.#sync();
    });
  }

  /** Only the sync loop calls this: table, certificates, then status. */
  #sync(): void {
    const ingresses = this.#mirror.list<Ingress & KubeObject>('ingresses') as Ingress[];
    const classes = this.#mirror.list<IngressClass & KubeObject>('ingressclasses') as IngressClass[];
    const served = ingresses.filter((i) => servedBy(i, classes) && !i.metadata?.deletionTimestamp);
    this.#table = buildRoutingTable(served);
    const secrets = new Map(
      (this.#mirror.list<Secret & KubeObject>('secrets') as Secret[]).map((s) => [
        `${s.metadata?.namespace}/${s.metadata?.name}`,
        s,
      ]),
    );
    const problems = this.#certs?.rebuild(served, secrets) ?? [];
    const pair = this.#certs?.defaultPair;
    if (pair && pair !== this.#httpsPair && this.#https) {
      this.#httpsPair = pair;
      this.#https.setSecureContext({ ...pair });
    }
    const text = problems.join('; ');
    if (text && text !== this.#lastProblems) this.#o.log('ingress: TLS secrets not served', { problems });
    this.#lastProblems = text;
    this.#writeStatus(ingresses, new Set(served));
    this.#announce(served);
  }

  /** ingress-nginx's `Normal Sync  Scheduled for sync`, once per Ingress and spec generation. */
  #announce(served: readonly Ingress[]): void {
    const next = new Map<string, number>();
    for (const ing of served) {
      const uid = ing.metadata?.uid ?? '';
      const generation = ing.metadata?.generation ?? 0;
      next.set(uid, generation);
      if (this.#announced.get(uid) === generation) continue;
      try {
        this.#o.events?.event(
          ing as Ingress & KubeObject,
          'Normal',
          'Sync',
          'Scheduled for sync',
          EVENT_SOURCE,
        );
      } catch (err) {
        this.#o.log('ingress: event failed', { error: (err as Error).message });
      }
    }
    this.#announced = next;
  }

  #published(): IngressLoadBalancerIngress[] {
    const ports = [this.#ports.http, this.#ports.https].filter((p): p is number => p !== undefined);
    if (ports.length === 0) return [];
    return [{ ip: this.#o.address, ports: ports.map((port) => ({ port, protocol: 'TCP' })) }];
  }

  #writeStatus(all: readonly Ingress[], served: ReadonlySet<Ingress>): void {
    const mine = this.#published();
    const isMine = (lb: IngressLoadBalancerIngress) => lb.ip === this.#o.address;
    let failed = false;
    for (const ing of all) {
      const current = ing.status?.loadBalancer?.ingress ?? [];
      const others = current.filter((lb) => !isMine(lb));
      const want = served.has(ing) ? [...others, ...mine] : others;
      if (JSON.stringify(want) === JSON.stringify(current)) continue;
      try {
        const fresh = this.#o.client.get<Ingress & KubeObject>(
          'ingresses',
          ing.metadata?.namespace ?? '',
          ing.metadata?.name ?? '',
        );
        if (!fresh) continue;
        this.#o.client.updateStatus('ingresses', {
          ...fresh,
          status: { ...(fresh.status ?? {}), loadBalancer: want.length > 0 ? { ingress: want } : {} },
        } as never);
      } catch (err) {
        failed = true;
        this.#o.log('ingress: status update failed', {
          ingress: `${ing.metadata?.namespace}/${ing.metadata?.name}`,
          error: (err as Error).message,
        });
      }
    }
    // A conflict or a racing delete: try again shortly (the mirror may not see a change).
    if (failed && !this.#retry) {
      this.#retry = setTimeout(() => {
        this.#retry = undefined;
        this.#queueSync();
      }, STATUS_RETRY_MS);
      this.#retry.unref();
    }
  }

  /** Safe to call twice, and before start. */
  async stop(): Promise<void> {
    this.#started = false;
    // A listener still being started joins #servers first, so it is closed below.
    await this.#httpsStarting;
    clearTimeout(this.#retry);
    this.#retry = undefined;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#mirror.stop();
    const closing = this.#servers.map((s) => new Promise<void>((r) => s.close(() => r())));
    for (const s of this.#sockets) s.destroy();
    this.#sockets.clear();
    this.#servers = [];
    this.#proxy.close();
    await Promise.all(closing);
  }
}
