/**
 * Entry point: `redis-ambassador [flags]`. Exit codes: 0 after a clean SIGTERM/SIGINT stop or --help,
 * 2 for a configuration error (the message names the setting), 1 if start-up fails otherwise.
 */

import { HelpRequested, loadConfig, usage } from './config/config.js';
import { ConfigError } from './errors.js';
import { createLogger } from './observe/log.js';
import { Ambassador } from './proxy/ambassador.js';

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
  const log = createLogger(config.logLevel);
  const ambassador = new Ambassador(config, log);
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
