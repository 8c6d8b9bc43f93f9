/**
 * Assembles the adapter from Settings and runs its lifecycle:
 *
 *   createAdapter ──(all config checks; throws ConfigError/RuleClashError)──> start() ──> serving
 *   serving ──stop()──> server closed, textfile write finished, source connections dropped ──> stopped
 *
 * Everything that can be wrong with the configuration is checked in createAdapter, before a port is
 * opened, so a bad rule fails the container at start instead of at the first scrape.
 */
import { accessSync, constants, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { Collector } from './collect/collector.js';
import { reservedNames, selfPrefixFor } from './collect/self-metrics.js';
import type { Settings } from './config/settings.js';
import { ConfigError } from './errors.js';
import type { Logger } from './log.js';
import { Mapper } from './mapping/mapper.js';
import { checkRuleClashes } from './rules/clash-check.js';
import { compileRules } from './rules/compile.js';
import { MetricsServer } from './server/metrics-server.js';
import { createSourceReader, type SourceReader } from './source/source-reader.js';
import { TextfileWriter } from './textfile/textfile-writer.js';

export interface Adapter {
  readonly collector: Collector;
  start(): Promise<AddressInfo>;
  /** Safe to call twice. */
  stop(): Promise<void>;
  /** Ends open connections at once (shutdown deadline passed). */
  forceClose(): void;
}

export function createAdapter(settings: Settings, logger: Logger): Adapter {
  validateSource(settings.source);
  if (settings.textfile) validateTextfileDir(settings.textfile);
  const compiled = compileRules(settings.rules.rules);
  const selfPrefix = selfPrefixFor(settings.prefix);
  const reserved = reservedNames(selfPrefix);
  checkRuleClashes(compiled, settings.prefix, reserved);
  const reader: SourceReader = createSourceReader(settings.source, { maxBytes: settings.maxBytes });
  const mapper = new Mapper({
    rules: compiled,
    prefix: settings.prefix,
    unmapped: settings.rules.unmapped,
    reserved,
  });
  const collector = new Collector({
    reader,
    format: settings.format,
    mapper,
    selfPrefix,
    cacheMs: settings.cacheMs,
    timeoutMs: settings.timeoutMs,
    logger,
  });
  const server = new MetricsServer({ collector, logger, source: reader.location });
  const textfile = settings.textfile
    ? new TextfileWriter({
        collector,
        path: settings.textfile,
        intervalMs: settings.textfileIntervalMs,
        logger,
      })
    : undefined;
  let stopping: Promise<void> | undefined;
  return {
    collector,
    async start() {
      let address: AddressInfo;
      try {
        address = await server.listen(settings.listen.host, settings.listen.port);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
        throw new ConfigError(
          '--listen',
          `cannot listen on ${settings.listen.host ?? '*'}:${settings.listen.port}: ${code}`,
        );
      }
      if (textfile) void textfile.start();
      return address;
    },
    stop() {
      stopping ??= (async () => {
        await Promise.all([server.close(), textfile?.stop()]);
        await collector.idle();
        reader.close();
      })();
      return stopping;
    },
    forceClose() {
      server.closeAll();
      reader.close();
    },
  };
}

function validateSource(source: string): void {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(source)) {
    if (!/^(https?|file):\/\//i.test(source))
      throw new ConfigError('--source', `"${source}": scheme must be http, https or file`);
    try {
      new URL(source);
    } catch {
      throw new ConfigError('--source', `"${source}" is not a valid URL`);
    }
  }
}

function validateTextfileDir(path: string): void {
  const dir = dirname(path);
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw new ConfigError(
      '--textfile',
      `directory ${dir} is not a writable directory (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
}
