/**
 * The ambassador process: wires configuration, the topology monitor, the shared connection pool, the
 * metrics endpoint and the client listener. Owns the set of client sessions.
 *
 * Start:  resolve backends → first ROLE round (so the first command is routed by real roles) → listen.
 * Stop:   stop accepting → each session stops reading and sends the replies it owes → after
 *         `shutdownTimeoutMs` the rest are closed → backend connections closed → resolves.
 */

import type http from 'node:http';
import net from 'node:net';
import { SharedPool } from '../backend/pool.js';
import { CommandTable } from '../commands/command-table.js';
import type { Config } from '../config/config.js';
import { errorReply, replyErrors } from '../errors.js';
import type { Logger } from '../observe/log.js';
import { Metrics } from '../observe/metrics.js';
import { TopologyMonitor } from '../topology/monitor.js';
import { ClientSession } from './client-session.js';
import { ClientSocket } from './client-socket.js';
import { ReplicaPicker } from './router.js';
import { initialState, signature } from './session-state.js';

export class Ambassador {
  readonly metrics: Metrics;
  readonly topology: TopologyMonitor;
  private table = CommandTable.builtin();
  private readonly sessions = new Set<ClientSession>();
  private readonly pool: SharedPool;
  private server: net.Server | undefined;
  private metricsServer: http.Server | undefined;
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly config: Config,
    private readonly log: Logger,
  ) {
    this.topology = new TopologyMonitor({
      config,
      log,
      onMasterChange: () => {
        this.metrics.masterChanges++;
      },
      onCommandTable: (t) => {
        this.table = t;
      },
    });
    this.metrics = new Metrics(() => this.topology);
    const defaultState = initialState({
      ...(config.username !== undefined ? { username: config.username } : {}),
      ...(config.password !== undefined ? { password: config.password } : {}),
    });
    this.pool = new SharedPool(config, signature(defaultState));
    this.defaultState = defaultState;
  }

  private readonly defaultState;

  /** The address clients connect to (useful when `--listen` asked for port 0). */
  get address(): net.AddressInfo {
    return this.server!.address() as net.AddressInfo;
  }

  get metricsAddress(): net.AddressInfo | undefined {
    return this.metricsServer?.address() as net.AddressInfo | undefined;
  }

  async start(): Promise<void> {
    await this.topology.start();
    if (this.config.metricsListen) {
      this.metricsServer = await this.metrics.serve(
        this.config.metricsListen,
        () => this.topology.currentMaster !== null,
      );
    }
    const picker = new ReplicaPicker(this.config.readPolicy);
    this.server = net.createServer({ pauseOnConnect: true, allowHalfOpen: true }, (accepted) => {
      const client = ClientSocket.adopt(accepted);
      const socket = client.socket;
      if (this.sessions.size >= this.config.maxClients || this.stopping) {
        socket.end(errorReply(this.stopping ? replyErrors.shuttingDown() : replyErrors.tooManyClients()));
        socket.on('error', () => socket.destroy());
        return;
      }
      const session = new ClientSession(client, {
        config: this.config,
        topology: this.topology,
        pool: this.pool,
        picker,
        metrics: this.metrics,
        log: this.log,
        table: () => this.table,
        defaultState: this.defaultState,
        onClosed: (s) => {
          this.sessions.delete(s);
          this.metrics.clients = this.sessions.size;
        },
      });
      this.sessions.add(session);
      this.metrics.clients = this.sessions.size;
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.config.listen.port, this.config.listen.host, () => resolve());
    });
    const a = this.address;
    this.log.info(
      {
        event: 'listening',
        address: `${a.address}:${a.port}`,
        master: this.topology.currentMaster?.id ?? null,
        commandTable: this.table.source,
      },
      'redis-ambassador ready',
    );
  }

  /** Graceful stop (see header). Safe to call twice; both calls resolve when stopped. */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    this.log.info({ event: 'stopping', clients: this.sessions.size }, 'stopping');
    const closed = new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
    for (const s of this.sessions) s.shutdown();
    const deadline = Date.now() + this.config.shutdownTimeoutMs;
    while (this.sessions.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    for (const s of [...this.sessions]) s.close();
    await closed;
    this.topology.stop();
    this.pool.closeAll('ambassador stopped');
    await new Promise<void>((resolve) =>
      this.metricsServer ? this.metricsServer.close(() => resolve()) : resolve(),
    );
    this.metricsServer?.closeAllConnections();
    this.log.info({ event: 'stopped' }, 'stopped');
  }
}
