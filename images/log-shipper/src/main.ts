/**
 * Entry point: configuration, then the pipeline, the outputs and the metrics server; SIGTERM and
 * SIGINT stop reading, deliver or buffer what was read, write the checkpoints and exit 0 within
 * shutdown_grace. Exit codes: 0 clean stop, 2 configuration error, 1 anything else.
 */
import type { Server } from 'node:http';
import { join } from 'node:path';
import { USAGE } from './config/flags.js';
import { loadConfig } from './config/load.js';
import { ShipperError } from './errors.js';
import { createLogger, type Logger } from './log.js';
import { createRegistry } from './metrics/registry.js';
import { startMetricsServer } from './metrics/server.js';
import { Stats } from './metrics/stats.js';
import { createSink } from './output/create-sink.js';
import { OutputQueue } from './output/output-queue.js';
import { Spool } from './output/spool.js';
import { Pipeline } from './pipeline/pipeline.js';
import { CheckpointStore } from './state/checkpoint-store.js';

export const VERSION = '0.1.0';

async function main(): Promise<void> {
  let loaded: ReturnType<typeof loadConfig>;
  try {
    loaded = loadConfig(process.argv.slice(2), process.env);
  } catch (err) {
    if (process.argv.includes('--help') || process.argv.includes('-h')) return printUsage();
    return fail(err, 2);
  }
  if (loaded.flags.help) return printUsage();
  if (loaded.flags.version) {
    process.stdout.write(`log-shipper ${VERSION}\n`);
    return;
  }
  const { config } = loaded;
  const log = createLogger(config.logLevel);
  for (const w of loaded.warnings) log.warn(w);
  let store: CheckpointStore;
  try {
    store = CheckpointStore.open(config.stateDir);
  } catch (err) {
    return fail(err, 2);
  }
  const stats = new Stats();
  let pipeline: Pipeline | undefined;
  const outputs = config.outputs.map(
    (o) =>
      new OutputQueue({
        sink: createSink(o),
        spool: new Spool(join(config.stateDir, 'buffer', o.name)),
        buffer: config.buffer,
        retry: config.retry,
        stats: stats.output(o.name),
        onSafe: (seq) => pipeline?.tracker.safe(seq),
        log: (level, msg) => log[level]({ output: o.name }, msg),
      }),
  );
  pipeline = new Pipeline({ config, store, stats, log, outputs });
  let server: Server | undefined;
  if (config.metricsListen !== null) {
    try {
      server = await startMetricsServer(config.metricsListen, createRegistry(stats), {
        stats,
        loopAgeMs: () => pipeline.loopAgeMs(),
      });
    } catch (err) {
      return fail(
        new ShipperError(
          'LS_ERR_CONFIG',
          `metrics.listen ${config.metricsListen}: ${(err as Error).message}`,
        ),
        2,
      );
    }
  }
  installSignals(log, async () => {
    await pipeline.stop(config.shutdownGraceMs);
    server?.close();
    server?.closeAllConnections();
  });
  const address = server?.address();
  log.info(
    {
      metrics: typeof address === 'object' && address !== null ? `${address.address}:${address.port}` : null,
      source: loaded.source,
      inputs: config.inputs.map((i) => i.paths),
      outputs: config.outputs.map((o) => o.name),
    },
    'log-shipper starting',
  );
  for (const q of outputs) q.start();
  await pipeline.start();
}

function installSignals(log: Logger, shutdown: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'stopping: delivering or buffering what was read');
    shutdown().then(
      () => {
        log.info('stopped cleanly');
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  // Reloading is not supported; a SIGHUP must not kill the shipper (Node's default would).
  process.on('SIGHUP', () => log.warn('SIGHUP ignored: restart the container to apply a new configuration'));
}

function printUsage(): void {
  process.stdout.write(`${USAGE}\n`);
}

function fail(err: unknown, code: number): void {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(
    `log-shipper: ${err instanceof ShipperError ? err.code : 'LS_ERR_INTERNAL'}: ${message}\n`,
  );
  process.exitCode = code;
}

main().catch((err: unknown) => {
  fail(err, 1);
  process.exit(1);
});
