/**
 * The topology monitor: source of truth for which backend is the master, which replicas may serve reads,
 * and how far each replica has caught up. Only this module writes BackendNode fields.
 *
 * Every `healthIntervalMs` it runs one check round:
 *   1. (with Sentinel) ask a Sentinel for the master's address;
 *   2. send ROLE to every backend over its own monitor connection (timeout `healthTimeoutMs`);
 *   3. pick the master (Sentinel's answer; else the current master if it still says so; else a
 *      configured master that says so; else any node that says so: that is how a promoted replica is
 *      followed) and compare each replica's offset with the master's offset of the same round.
 * Read-your-writes does not wait for rounds: its OffsetWatch (offset-watch.ts) reads the master's offset
 * right after a client's write and polls the replicas' offsets quickly while some client waits.
 */
import { BackendConnection } from '../backend/backend-connection.js';
import { request } from '../backend/request.js';
import { CommandTable } from '../commands/command-table.js';
import type { Config, HostPort } from '../config/config.js';
import type { Logger } from '../observe/log.js';
import { encodeCommand } from '../resp/request-parser.js';
import { type BackendNode, newNode, nodeId } from './backend-node.js';
import { type MasterSample, OffsetWatch } from './offset-watch.js';
import { resolveAll } from './resolve.js';
import { parseRole } from './role-reply.js';

export interface MonitorDeps {
  readonly config: Config;
  readonly log: Logger;
  readonly onMasterChange?: (master: BackendNode | null, previous: BackendNode | null) => void;
  readonly onCommandTable?: (table: CommandTable) => void;
}

export class TopologyMonitor {
  readonly nodes = new Map<string, BackendNode>();
  private master: BackendNode | null = null;
  private readonly probes = new Map<string, BackendConnection>();
  private roundTimer: NodeJS.Timeout | undefined;
  private dnsTimer: NodeJS.Timeout | undefined;
  private running = false;
  private roundInFlight: Promise<void> | null = null;
  private sentinelMasterId: string | null = null;
  private tableFor: string | null = null;
  /** A one-line reason the master is missing, for the client's -ERR. */
  masterProblem = 'not checked yet';

  private readonly offsets: OffsetWatch;

  constructor(private readonly deps: MonitorDeps) {
    this.offsets = new OffsetWatch({
      pollMs: deps.config.readYourWritesPollMs,
      windowMs: deps.config.readYourWritesWindowMs,
      master: () => this.master,
      readableReplicas: () => this.readableReplicas(),
      connection: (node) => this.probeConnection(node),
    });
  }

  get currentMaster(): BackendNode | null {
    return this.master;
  }

  /** Read-your-writes: call when a client's write completed; see OffsetWatch.afterWrite. */
  afterWrite(): MasterSample {
    return this.offsets.afterWrite();
  }

  /** Read-your-writes: a client holding `sample` wants to read; see OffsetWatch.wanted. */
  sampleWanted(sample: MasterSample): void {
    this.offsets.wanted(sample);
  }

  /** Replicas allowed to serve reads right now (healthy, linked, within the lag limit). */
  readableReplicas(): BackendNode[] {
    const out: BackendNode[] = [];
    const masterKnown = this.master !== null;
    for (const n of this.nodes.values()) {
      if (!n.up || n.role !== 'replica') continue;
      // With no master, serving a replica's last-known data beats failing every read.
      if (masterKnown && (!n.linkUp || n.lagBytes > this.deps.config.maxLagBytes)) continue;
      out.push(n);
    }
    return out;
  }

  /** Resolves backend names, runs the first round (so routing starts informed), then keeps checking. */
  async start(): Promise<void> {
    this.running = true;
    await this.refreshDns();
    await this.runRound();
    this.scheduleRound(this.deps.config.healthIntervalMs);
    this.dnsTimer = setInterval(() => void this.refreshDns(), this.deps.config.dnsRefreshMs);
    this.dnsTimer.unref();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.roundTimer);
    clearInterval(this.dnsTimer);
    this.offsets.stop();
    for (const c of this.probes.values()) c.close('ambassador stopping');
    this.probes.clear();
  }

  private scheduleRound(delayMs: number): void {
    clearTimeout(this.roundTimer);
    this.roundTimer = setTimeout(async () => {
      await this.runRound();
      if (this.running) this.scheduleRound(this.deps.config.healthIntervalMs);
    }, delayMs);
    this.roundTimer.unref();
  }

  private async refreshDns(): Promise<void> {
    const { config, log } = this.deps;
    const sets: [readonly HostPort[], BackendNode['configuredAs']][] = [
      [config.masters, 'master'],
      [config.replicas, 'replica'],
    ];
    const seen = new Set<string>();
    for (const [entries, as] of sets) {
      const { addresses, errors } = await resolveAll(entries);
      for (const e of errors) log.warn({ event: 'dns-failed', error: e }, 'backend name did not resolve');
      for (const a of addresses) {
        const id = nodeId(a);
        seen.add(id);
        if (!this.nodes.has(id)) {
          this.nodes.set(id, newNode(a, as));
          log.info({ event: 'backend-added', backend: id, configuredAs: as }, 'backend added');
        }
      }
    }
    for (const [id, n] of this.nodes) {
      if (n.configuredAs !== 'sentinel' && !seen.has(id) && n !== this.master) {
        this.nodes.delete(id);
        this.probes.get(id)?.close('backend no longer resolves');
        log.info({ event: 'backend-removed', backend: id }, 'backend removed');
      }
    }
  }

  private probeConnection(node: BackendNode): BackendConnection {
    let conn = this.probes.get(node.id);
    if (conn && !conn.isClosed) return conn;
    const { config } = this.deps;
    conn = new BackendConnection({
      address: node.address,
      ...(config.tls ? { tls: config.tls } : {}),
      handshake: this.authHandshake(),
      connectTimeoutMs: config.connectTimeoutMs,
      commandTimeoutMs: config.healthTimeoutMs,
    });
    this.probes.set(node.id, conn);
    return conn;
  }

  private authHandshake(): Buffer[] {
    const { username, password } = this.deps.config;
    if (password === undefined) return [];
    return [encodeCommand(username ? ['AUTH', username, password] : ['AUTH', password])];
  }

  private async probe(node: BackendNode): Promise<void> {
    try {
      const info = parseRole(await request(this.probeConnection(node), ['ROLE']));
      if (info.role === 'sentinel') throw new Error('this address is a Sentinel, not a Redis server');
      node.role = info.role;
      node.offset = info.offset;
      node.linkUp = info.role === 'replica' ? info.linkUp : true;
      if (!node.up)
        this.deps.log.info({ event: 'backend-up', backend: node.id, role: node.role }, 'backend up');
      node.up = true;
      node.lastError = '';
    } catch (e) {
      if (node.up)
        this.deps.log.warn(
          { event: 'backend-down', backend: node.id, error: (e as Error).message },
          'backend down',
        );
      node.up = false;
      node.lastError = (e as Error).message;
    }
  }

  /** One check round; concurrent callers share the round in flight. */
  runRound(): Promise<void> {
    if (!this.roundInFlight) {
      this.roundInFlight = this.doRound().finally(() => {
        this.roundInFlight = null;
      });
    }
    return this.roundInFlight;
  }

  private async doRound(): Promise<void> {
    if (this.deps.config.sentinels.length > 0) await this.askSentinels();
    await Promise.all([...this.nodes.values()].map((n) => this.probe(n)));
    this.electMaster();
    const m = this.master;
    for (const n of this.nodes.values()) {
      if (n.role !== 'replica' || !n.up) continue;
      n.lagBytes = m ? Math.max(0, m.offset - n.offset) : 0;
    }
    if (m && this.tableFor !== m.id) await this.loadCommandTable(m);
  }

  private electMaster(): void {
    const candidates = [...this.nodes.values()].filter((n) => n.up && n.role === 'master');
    let chosen: BackendNode | null = null;
    if (this.sentinelMasterId !== null) {
      chosen = candidates.find((n) => n.id === this.sentinelMasterId) ?? null;
    } else if (this.master && candidates.includes(this.master)) {
      chosen = this.master;
    } else {
      chosen = candidates.find((n) => n.configuredAs === 'master') ?? candidates[0] ?? null;
    }
    if (chosen === null) {
      const down = [...this.nodes.values()].filter((n) => !n.up).map((n) => `${n.id}: ${n.lastError}`);
      this.masterProblem = down.length > 0 ? down.join('; ') : 'no backend reports role master';
    }
    if (chosen !== this.master) {
      const previous = this.master;
      this.master = chosen;
      this.deps.log.warn(
        {
          event: 'master-changed',
          from: previous?.id ?? null,
          to: chosen?.id ?? null,
          reason: this.masterProblem,
        },
        'master changed',
      );
      this.deps.onMasterChange?.(chosen, previous);
    }
  }

  /** On its own connection: a large COMMAND reply must never delay the ROLE checks behind it. */
  private async loadCommandTable(master: BackendNode): Promise<void> {
    const { config } = this.deps;
    const conn = new BackendConnection({
      address: master.address,
      ...(config.tls ? { tls: config.tls } : {}),
      handshake: this.authHandshake(),
      connectTimeoutMs: config.connectTimeoutMs,
      commandTimeoutMs: config.commandTimeoutMs,
    });
    try {
      const table = CommandTable.fromCommandReply(await request(conn, ['COMMAND']));
      this.tableFor = master.id;
      this.deps.log.info(
        { event: 'command-table', source: master.id, rows: table.size },
        'command table loaded',
      );
      this.deps.onCommandTable?.(table);
    } catch (e) {
      this.deps.log.warn(
        { event: 'command-table-failed', error: (e as Error).message },
        'keeping built-in table',
      );
    } finally {
      conn.close('COMMAND done');
    }
  }

  /** Sentinel: the first Sentinel that answers names the master; its replicas are added as backends. */
  private async askSentinels(): Promise<void> {
    const { config, log } = this.deps;
    for (const s of config.sentinels) {
      const conn = new BackendConnection({
        address: s,
        handshake: [],
        connectTimeoutMs: config.connectTimeoutMs,
        commandTimeoutMs: config.healthTimeoutMs,
      });
      try {
        const addr = await request(conn, ['SENTINEL', 'get-master-addr-by-name', config.sentinelMaster]);
        if (!Array.isArray(addr) || addr.length < 2)
          throw new Error(`Sentinel does not know "${config.sentinelMaster}"`);
        const master = { host: String(addr[0]), port: Number(addr[1]) };
        this.adopt(master);
        this.sentinelMasterId = nodeId(master);
        const replicas = await request(conn, ['SENTINEL', 'replicas', config.sentinelMaster]);
        if (Array.isArray(replicas)) {
          for (const r of replicas) {
            const fields = r instanceof Map ? r : pairs(r);
            const ip = fields.get('ip');
            const port = fields.get('port');
            if (ip !== undefined && port !== undefined) this.adopt({ host: String(ip), port: Number(port) });
          }
        }
        return;
      } catch (e) {
        log.warn(
          { event: 'sentinel-failed', sentinel: nodeId(s), error: (e as Error).message },
          'Sentinel query failed',
        );
      } finally {
        conn.close('query done');
      }
    }
  }

  private adopt(address: HostPort): void {
    const id = nodeId(address);
    if (!this.nodes.has(id)) {
      this.nodes.set(id, newNode(address, 'sentinel'));
      this.deps.log.info({ event: 'backend-added', backend: id, configuredAs: 'sentinel' }, 'backend added');
    }
  }
}

function pairs(v: unknown): Map<string, unknown> {
  const m = new Map<string, unknown>();
  if (Array.isArray(v)) for (let i = 0; i + 1 < v.length; i += 2) m.set(String(v[i]), v[i + 1]);
  return m;
}
