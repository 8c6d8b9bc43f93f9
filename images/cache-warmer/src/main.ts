// Entry point of `cache-warmer`: config -> entries file -> wait for Redis -> warm -> report.
// Exit 0 only when every entry is in place; 1 when Redis never came up or an entry failed;
// 2 on configuration errors (flag, environment, entries file); 143 when stopped by SIGTERM.
import { parseArgs, USAGE } from './config.js';
import { readEntriesFile } from './entries.js';
import { Stopped, WarmFailed } from './errors.js';
import { waitForRedis } from './wait.js';
import { describe, warm } from './warm.js';

export const VERSION = '0.1.0';

export async function main(argv: string[], env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const err = (line: string) => process.stderr.write(`${line}\n`);
  try {
    const parsed = parseArgs(argv, env);
    if (parsed.kind === 'help') {
      out(USAGE);
      return 0;
    }
    if (parsed.kind === 'version') {
      out(VERSION);
      return 0;
    }
    const config = parsed.config;
    // The file is checked before waiting, so a broken ConfigMap fails at once, not after the deadline.
    const entries = readEntriesFile(config.file);
    const redis = await waitForRedis(config, { log: err, signal });
    try {
      if (signal.aborted) throw new Stopped('stopped by SIGTERM before loading');
      const results = await warm(redis, entries, { dryRun: config.dryRun });
      for (const r of results) out(describe(r));
      const failures = results
        .filter((r) => r.failure)
        .map((r) => ({ key: r.entry.key, reason: r.failure as string }));
      const count = (o: string) => results.filter((r) => r.outcome === o).length;
      out(
        config.dryRun
          ? `dry run: ${count('would-load')} would be loaded, ${count('current')} already current, ${failures.length} failed (${results.length} entries)`
          : `cache warmed: ${count('loaded')} loaded, ${count('current')} already current, ${failures.length} failed (${results.length} entries)`,
      );
      if (failures.length > 0) throw new WarmFailed(failures);
      return 0;
    } finally {
      // QUIT lets Redis finish and flush replies to anything still queued before closing.
      await redis.quit().catch(() => redis.disconnect());
    }
  } catch (e) {
    const error = e as Error & { exitCode?: number };
    err(`error: ${error.message}`);
    return error.exitCode ?? 1;
  }
}
