/**
 * `--workers N` (N > 1): the primary process forks N workers with node:cluster; each runs a complete
 * ambassador (own topology monitor and shared connections) and the listen port is shared between them,
 * so a second core can proxy like HAProxy's second thread. The primary owns /metrics and /healthz and
 * answers them by summing the workers' registries (prom-client's AggregatorRegistry; gauges that must
 * not be summed declare `aggregator: 'max'`).
 *
 * Primary lifecycle:  fork N ──► (a worker dies unexpectedly ──► fork a replacement after 1 s) ──►
 *                     SIGTERM/SIGINT ──► SIGTERM to every worker ──► all exited ──► resolve
 */
import cluster, { type Worker } from 'node:cluster';
import http from 'node:http';
import { AggregatorRegistry } from 'prom-client';
import type { Config } from './config/config.js';
import type { Logger } from './observe/log.js';

const RESPAWN_DELAY_MS = 1000;

export async function runPrimary(config: Config, log: Logger): Promise<number> {
  const aggregator = new AggregatorRegistry();
  let stopping = false;
  const fork = (): Worker => {
    const worker = cluster.fork();
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      log.error(
        { event: 'worker-exited', pid: worker.process.pid, code, signal },
        'worker exited; replacing it',
      );
      setTimeout(() => {
        if (!stopping) fork();
      }, RESPAWN_DELAY_MS).unref();
    });
    return worker;
  };
  for (let i = 0; i < config.workers; i++) fork();
  log.info({ event: 'workers-started', workers: config.workers }, 'workers started');

  let server: http.Server | undefined;
  if (config.metricsListen) {
    server = http.createServer(async (req, res) => {
      try {
        const text = await aggregator.clusterMetrics();
        if (req.url === '/metrics') res.writeHead(200, { 'content-type': aggregator.contentType }).end(text);
        else if (req.url === '/healthz') {
          const ok = /^redis_ambassador_master_known 1$/m.test(text);
          res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(ok ? 'ok\n' : 'no master\n');
        } else res.writeHead(404).end();
      } catch (e) {
        res.writeHead(500).end(String(e));
      }
    });
    const at = config.metricsListen;
    await new Promise<void>((resolve) => server!.listen(at.port, at.host, () => resolve()));
  }

  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      stopping = true;
      log.info({ event: 'signal', signal }, 'stopping workers');
      const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
      let left = workers.length;
      if (left === 0) resolve();
      for (const w of workers) {
        w.once('exit', () => {
          if (--left === 0) resolve();
        });
        w.process.kill('SIGTERM');
      }
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  return 0;
}
