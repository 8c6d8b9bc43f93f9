/**
 * Entry point: `redis-ambassador [flags]`. Exit codes: 0 after a clean SIGTERM/SIGINT stop or --help,
 * 2 for a configuration error (the message names the setting), 1 if start-up fails otherwise.
 * `--check` loads the same configuration, checks the backends, prints a table and exits (check-config.ts).
 */

import cluster from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { runCheck } from './check-config.js';
import { HelpRequested, loadConfig, usage } from './config/config.js';
import { ConfigError } from './errors.js';
import { createLogger } from './observe/log.js';
import { Ambassador } from './proxy/ambassador.js';
import { runPrimary } from './workers.js';

async function main(): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig({ argv: process.argv.slice(2), env: process.env });
  } catch (e) {
    if (e instanceof HelpRequested) {
      process.stdout.write(`${usage()}\n`);
      return 0;
    }
    if (e instanceof ConfigError) {
      process.stderr.write(`redis-ambassador: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (process.argv.slice(2).includes('--check')) {
    const result = await runCheck(config);
    process.stdout.write(result.text);
    return result.code;
  }
  const log = createLogger(config.logLevel);
  if (config.workers > 1 && cluster.isPrimary) {
    const code = await runPrimary(config, log);
    log.flush();
    return code;
  }
  // A cluster worker leaves /metrics to the primary, which sums every worker's registry.
  const ambassador = new Ambassador(cluster.isWorker ? { ...config, metricsListen: undefined } : config, log);
  if (cluster.isWorker) {
    // Constructing an AggregatorRegistry is what makes prom-client answer the primary's metric requests.
    new AggregatorRegistry();
    AggregatorRegistry.setRegistries([ambassador.metrics.registry]);
  }
  try {
    await ambassador.start();
  } catch (e) {
    log.fatal({ event: 'start-failed', error: (e as Error).message }, 'could not start');
    await ambassador.stop();
    log.flush();
    return 1;
  }
  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      log.info({ event: 'signal', signal }, 'shutting down');
      void ambassador.stop().then(resolve);
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });
  log.flush();
  // A worker's IPC channel would keep it alive: let go of it so the process can exit.
  if (cluster.isWorker) cluster.worker?.disconnect();
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`redis-ambassador: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
