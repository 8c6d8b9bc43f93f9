/**
 * `redis-ambassador --check`: the seed's "check the ambassador configuration", done by the program itself.
 * It runs exactly what a normal start runs before it listens (the same configuration, DNS resolution,
 * Sentinel query and first ROLE round, through TopologyMonitor), prints what it found as a table, and
 * stops everything it opened.
 *
 * Exit codes: 0 when a master is reachable and reports role master (writes would work); 1 otherwise, with
 * a line saying why. (main.ts exits 2 for a configuration error before this runs.)
 */
import { pino } from 'pino';
import type { Config } from './config/config.js';
import type { BackendNode } from './topology/backend-node.js';
import { TopologyMonitor } from './topology/monitor.js';

export interface CheckResult {
  readonly code: 0 | 1;
  readonly text: string;
}

/** What one backend is used for, given the first round's view (the same rules the router applies). */
export function routeOf(node: BackendNode, master: BackendNode | null, config: Config): string {
  if (node === master) return 'writes (+ reads when no replica qualifies)';
  if (!node.up) return 'none (down)';
  if (node.role === 'master') return 'none (a second master: not elected)';
  if (node.role !== 'replica') return 'none (role unknown)';
  if (master === null) return 'reads (no master: last-known data)';
  if (!node.linkUp) return 'none (replication link down)';
  if (node.lagBytes > config.maxLagBytes) return `none (lag > ${config.maxLagBytes} bytes)`;
  return 'reads';
}

/** The table: one row per backend, columns padded to their widest cell. */
export function formatTable(
  nodes: readonly BackendNode[],
  master: BackendNode | null,
  config: Config,
): string {
  const header = ['BACKEND', 'CONFIGURED AS', 'ROLE', 'OFFSET', 'LAG (bytes)', 'HEALTH', 'ROUTE'];
  const rows = nodes.map((n) => [
    n.id,
    n.configuredAs,
    n.up ? n.role : '-',
    n.up ? String(n.offset) : '-',
    n.up && n.role === 'replica' && master !== null ? String(n.lagBytes) : '-',
    n.up ? 'up' : 'DOWN',
    routeOf(n, master, config),
  ]);
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const table = all.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
  const errors = nodes.filter((n) => !n.up).map((n) => `${n.id} is down: ${n.lastError}`);
  return [...table, ...errors].join('\n');
}

/** Runs the check; never throws for a backend problem (that is what it reports). */
export async function runCheck(config: Config): Promise<CheckResult> {
  const warnings: string[] = [];
  // The monitor's warnings (a name that does not resolve, a Sentinel that does not answer) go in the report;
  // backend-down and master-changed are already what the table shows.
  const log = pino(
    { level: 'warn' },
    {
      write: (line: string) => {
        const e = JSON.parse(line) as { event?: string; error?: string; backend?: string; sentinel?: string };
        if (e.event === 'backend-down' || e.event === 'master-changed') return;
        warnings.push(
          `${e.event ?? 'warning'}: ${[e.sentinel ?? e.backend, e.error].filter(Boolean).join(': ')}`,
        );
      },
    },
  );
  let commandTable = 'built-in (COMMAND not loaded)';
  const monitor = new TopologyMonitor({
    config,
    log,
    onCommandTable: (t) => {
      commandTable = `from the master's COMMAND (${t.size} commands)`;
    },
  });
  try {
    await monitor.start();
  } finally {
    monitor.stop();
  }
  const master = monitor.currentMaster;
  const nodes = [...monitor.nodes.values()];
  const lines = [
    `listen ${config.listen.host}:${config.listen.port}; read policy ${config.readPolicy}; read-your-writes ${
      config.readYourWrites ? `on (window ${config.readYourWritesWindowMs} ms)` : 'off'
    }; max lag ${config.maxLagBytes} bytes${config.tls ? '; TLS to backends' : ''}`,
    '',
    nodes.length > 0 ? formatTable(nodes, master, config) : '(no backend address resolved)',
    '',
    `command table: ${master ? commandTable : 'built-in (no master)'}`,
    ...warnings.map((w) => `warning: ${w}`),
  ];
  if (master === null) {
    lines.push(`FAIL: no reachable master: ${monitor.masterProblem}`);
    return { code: 1, text: `${lines.join('\n')}\n` };
  }
  const readers = nodes.filter((n) => n !== master && routeOf(n, master, config) === 'reads').length;
  if (master.configuredAs !== 'master' && config.sentinels.length === 0)
    lines.push(`note: ${master.id} is master now but was configured as a ${master.configuredAs} (promoted)`);
  lines.push(
    `OK: master ${master.id} is reachable and reports role master; ${readers} replica(s) take reads${
      readers === 0 ? ' (reads go to the master)' : ''
    }`,
  );
  return { code: 0, text: `${lines.join('\n')}\n` };
}
