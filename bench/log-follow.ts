/**
 * `kubectl logs -f` latency benchmark: how long a line the container writes takes to reach a follower.
 * One run, three followers of the same CRI log file, fed by one writer:
 *   - podbay: the API's follow (src/api/http/streaming/log-reader.ts), woken by inotify, its 1 s safety net;
 *   - poll-200ms: the same reader with inotify unavailable (the directory watch fails), so only a
 *     200 ms timer wakes it: what podbay's follow was before it used inotify;
 *   - tail -F (GNU coreutils, inotify), the Unix reference.
 * The writer appends one stamped CRI line every `--interval-ms` (default 23, so writes do not line up
 * with any timer); each follower notes when it saw each line; p50 / p99 / max per follower, and the
 * ratio of podbay's p50 to tail -F's. Loopback/file only, bounded by `--lines` (default 300).
 *
 *   npx tsc -p tsconfig.json && node dist/bench/log-follow.js [--lines 300] [--interval-ms 23]
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readContainerLog } from '../src/api/http/streaming/log-reader.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const LINES = arg('lines', 300);
const INTERVAL_MS = arg('interval-ms', 23);

const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'podbay-bench-logs-'));
  const sent = new Map<number, number>();
  const seen: Record<string, Map<number, number>> = {
    podbay: new Map(),
    'poll-200ms': new Map(),
    'tail -F': new Map(),
  };
  const note = (who: string, text: string): void => {
    const m = /^line (\d+)$/.exec(text.trim());
    if (m && !seen[who]!.has(Number(m[1]))) seen[who]!.set(Number(m[1]), performance.now());
  };
  try {
    mkdirSync(join(dir, 'app'));
    const logPath = join(dir, 'app', '0.log');
    writeFileSync(logPath, '');
    let running = true;
    const abort = new AbortController();
    const follow = (who: string, path: string, pollMs: number) =>
      readContainerLog(
        { logPath: path, running: async () => running },
        { follow: true, signal: abort.signal, pollMs },
        (l) => {
          note(who, l.content.toString());
          return true;
        },
      );
    const followers = [follow('podbay', logPath, 1000)];
    // The same reader without inotify: its directory does not exist when the follow starts (the watch
    // fails), and the file appears there only through a symlink created afterwards.
    const noWatchDir = join(dir, 'nowatch');
    const noWatchPath = join(noWatchDir, '0.log');
    followers.push(follow('poll-200ms', noWatchPath, 200));
    await new Promise((r) => setTimeout(r, 50));
    mkdirSync(noWatchDir);
    symlinkSync(logPath, noWatchPath);
    const tail = spawn('tail', ['-F', '-n', '0', logPath], { stdio: ['ignore', 'pipe', 'ignore'] });
    let buffered = '';
    tail.stdout.on('data', (b: Buffer) => {
      buffered += b.toString();
      let nl = buffered.indexOf('\n');
      while (nl >= 0) {
        // CRI line: `<time> stdout F <text>`
        note('tail -F', buffered.slice(0, nl).split(' ').slice(3).join(' '));
        buffered = buffered.slice(nl + 1);
        nl = buffered.indexOf('\n');
      }
    });
    await new Promise((r) => setTimeout(r, 500)); // every follower is waiting
    for (let i = 0; i < LINES; i++) {
      sent.set(i, performance.now());
      appendFileSync(logPath, `${new Date().toISOString()} stdout F line ${i}\n`);
      await new Promise((r) => setTimeout(r, INTERVAL_MS));
    }
    await new Promise((r) => setTimeout(r, 500));
    running = false;
    abort.abort();
    tail.kill('SIGTERM');
    await Promise.allSettled(followers);
    await new Promise((r) => (tail.exitCode !== null ? r(undefined) : tail.once('exit', r)));
    const load = loadavg()
      .map((x) => x.toFixed(2))
      .join(' ');
    console.log(
      `# log follow latency (${new Date().toISOString()}), ${LINES} lines every ${INTERVAL_MS} ms, load ${load}\n`,
    );
    console.log('| follower | lines seen | p50 ms | p99 ms | max ms |');
    console.log('|---|---|---|---|---|');
    const p50s: Record<string, number> = {};
    for (const [who, m] of Object.entries(seen)) {
      const lat = [...m].map(([i, at]) => at - sent.get(i)!);
      p50s[who] = percentile(lat, 50);
      console.log(
        `| ${who} | ${m.size}/${LINES} | ${percentile(lat, 50).toFixed(2)} | ${percentile(lat, 99).toFixed(2)} | ${Math.max(...lat).toFixed(2)} |`,
      );
    }
    console.log(`\npodbay p50 / tail -F p50: ${(p50s.podbay! / p50s['tail -F']!).toFixed(2)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
