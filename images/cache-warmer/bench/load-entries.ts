// Benchmark: load N string entries with `cache-warmer` and compare, in the same run, with the anchor
// (`redis-cli --pipe`, RESP mass insertion) and with the seed's way (one `redis-cli SET` process per
// key, measured on SEED_N keys). Bounded: one pass each against a redis-server started here on loopback.
// Run: cd /work/main && npx tsc -b images/cache-warmer/tsconfig.json && node images/cache-warmer/dist/bench/load-entries.js
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedis } from '@podbay/test-support';
import { WARMER_BIN } from '../test/support/cli.js';

const N = Number(process.env.BENCH_ENTRIES ?? 5000);
const SEED_N = Number(process.env.BENCH_SEED_ENTRIES ?? 200);

function timed(cmd: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    input: opts.input,
    env: opts.env ?? process.env,
    maxBuffer: 64 << 20,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${(r.stderr || r.stdout).slice(0, 400)}`);
  return ms;
}

const resp = (...args: string[]) =>
  `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
const value = (i: number) => JSON.stringify({ id: i, name: `item ${i}`, tags: ['a', 'b'] });

const dir = mkdtempSync(join(tmpdir(), 'warmer-bench-'));
const server = await startRedis();
try {
  const entries = Array.from({ length: N }, (_, i) => ({ key: `bench:${i}`, value: value(i), ttl: 3600 }));
  const file = join(dir, 'entries.json');
  writeFileSync(file, JSON.stringify({ entries }));
  const env = { ...process.env, REDIS_HOST: '127.0.0.1', REDIS_PORT: String(server.port) };
  const cli = (...a: string[]) => ['-h', '127.0.0.1', '-p', String(server.port), ...a];

  timed('redis-cli', cli('FLUSHALL'));
  const pipeInput = entries.map((e) => resp('SET', e.key, e.value, 'EX', String(e.ttl))).join('');
  const pipe = timed('redis-cli', cli('--pipe'), { input: pipeInput });

  timed('redis-cli', cli('FLUSHALL'));
  const warmer = timed(process.execPath, [WARMER_BIN, '--file', file], { env });
  const rerun = timed(process.execPath, [WARMER_BIN, '--file', file], { env });

  timed('redis-cli', cli('FLUSHALL'));
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < SEED_N; i++) timed('redis-cli', cli('SETEX', `seed:${i}`, '3600', value(i)));
  const seedPerKey = Number(process.hrtime.bigint() - t0) / 1e6 / SEED_N;

  console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, node ${process.version}`);
  console.log(`${N} string entries (~${value(N).length} bytes, ttl 3600)`);
  console.log(`redis-cli --pipe (anchor):          ${pipe.toFixed(0)} ms`);
  console.log(
    `cache-warmer, first load:           ${warmer.toFixed(0)} ms  ratio ${(warmer / pipe).toFixed(2)}x vs --pipe`,
  );
  console.log(
    `cache-warmer, re-run (all current): ${rerun.toFixed(0)} ms  ratio ${(rerun / pipe).toFixed(2)}x vs --pipe`,
  );
  console.log(
    `seed loop, one redis-cli per key:   ${seedPerKey.toFixed(2)} ms/key -> ${(seedPerKey * N).toFixed(0)} ms for ${N} (measured on ${SEED_N}), ratio ${((seedPerKey * N) / warmer).toFixed(1)}x slower than cache-warmer`,
  );
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
