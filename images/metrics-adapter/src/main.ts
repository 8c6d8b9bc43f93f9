/**
 * Entry point: `metrics-adapter --source URL|FILE [...]`. Exit codes: 0 after a clean SIGTERM/SIGINT,
 * 2 for a configuration error (the message names the setting), 1 for anything unexpected.
 * On SIGTERM the server stops accepting, in-flight scrapes and a textfile write in progress finish,
 * and the process exits; if that takes longer than SHUTDOWN_DEADLINE_MS, connections are cut.
 */
import { readFileSync } from 'node:fs';
import { createAdapter } from './app.js';
import { resolveSettings, USAGE } from './config/settings.js';
import { AdapterError } from './errors.js';
import { createLogger } from './log.js';

const SHUTDOWN_DEADLINE_MS = 5_000;

async function main(): Promise<void> {
  let command: ReturnType<typeof resolveSettings>;
  let adapter: ReturnType<typeof createAdapter>;
  try {
    command = resolveSettings(process.argv.slice(2), process.env);
    if (command.kind === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return;
    }
    if (command.kind === 'version') {
      process.stdout.write(`${version()}\n`);
      return;
    }
    const logger = createLogger(command.settings.logLevel);
    adapter = createAdapter(command.settings, logger);
    const address = await adapter.start();
    logger.info('serving', { address: address.address, port: address.port, source: command.settings.source });
    let signalled = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (signalled) return;
      signalled = true;
      logger.info('shutting down', { signal });
      const deadline = setTimeout(() => {
        logger.warn('shutdown deadline passed; closing connections');
        adapter.forceClose();
      }, SHUTDOWN_DEADLINE_MS);
      deadline.unref();
      adapter.stop().then(
        () => {
          clearTimeout(deadline);
          logger.info('stopped');
        },
        (err: unknown) => {
          logger.error('shutdown failed', { error: (err as Error).message });
          process.exitCode = 1;
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  } catch (err) {
    if (err instanceof AdapterError) {
      process.stderr.write(`metrics-adapter: ${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
}

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return `metrics-adapter ${pkg.version ?? 'unknown'}`;
  } catch {
    return 'metrics-adapter unknown';
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`metrics-adapter: unexpected error: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
