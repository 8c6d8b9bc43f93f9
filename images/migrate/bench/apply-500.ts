// Benchmark: apply 500 small migrations with `migrate up` and compare with running the same SQL through
// one `psql` process (the floor: no version bookkeeping, no lock). Prints times and ratios.
// Bounded: ROUNDS rounds of one run each, against a PostgreSQL started here on loopback, stopped after.
// Run: cd /work/main && npx tsc -b images/migrate/tsconfig.json && node images/migrate/dist/bench/apply-500.js
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres } from '@podbay/test-support';
import { MIGRATE_BIN } from '../test/support/cli.js';

const COUNT = Number(process.env.BENCH_MIGRATIONS ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PSQL = process.env.PSQL ?? 'psql';

function sqlFor(i: number): string {
  return `CREATE TABLE t_${i} (id int primary key, v text);\nINSERT INTO t_${i} VALUES (1, 'row ${i}');\n`;
}

function timed(cmd: string, args: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr.slice(0, 500)}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const dir = mkdtempSync(join(tmpdir(), 'migrate-bench-'));
const server = await startPostgres();
try {
  const all: string[] = [];
  for (let i = 1; i <= COUNT; i++) {
    writeFileSync(join(dir, `${i}_t${i}.up.sql`), sqlFor(i));
    all.push(sqlFor(i));
  }
  const allFile = join(tmpdir(), `migrate-bench-all-${process.pid}.sql`);
  writeFileSync(allFile, all.join(''));
  const results = { psql: [] as number[], migrate: [] as number[], migratePlain: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of ['psql', 'migrate', 'migratePlain'] as const) {
      const db = `bench_${kind.toLowerCase()}_${round}`;
      await server.query(`CREATE DATABASE ${db}`);
      if (kind === 'psql') {
        results.psql.push(
          timed(PSQL, [
            '-X',
            '-q',
            '-v',
            'ON_ERROR_STOP=1',
            '-h',
            '127.0.0.1',
            '-p',
            String(server.port),
            '-U',
            'postgres',
            '-d',
            db,
            '-f',
            allFile,
          ]),
        );
      } else {
        const params = kind === 'migrate' ? 'sslmode=disable' : 'sslmode=disable&x-use-transaction=false';
        results[kind].push(
          timed(process.execPath, [MIGRATE_BIN, '-path', dir, '-database', server.url(db, params), 'up']),
        );
      }
      const check = await server.query(
        `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 't\\_%'`,
        [],
        db,
      );
      if (check.rows[0].n !== COUNT)
        throw new Error(`${kind}: expected ${COUNT} tables, found ${check.rows[0].n}`);
    }
  }
  rmSync(allFile, { force: true });
  console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, node ${process.version}`);
  console.log(
    `${COUNT} migrations, ${ROUNDS} interleaved rounds (best is the least disturbed by other load)`,
  );
  const pickers: Array<[string, (xs: number[]) => number]> = [
    ['median', median],
    ['best', (xs) => Math.min(...xs)],
  ];
  for (const [label, pick] of pickers) {
    const p = pick(results.psql);
    const m = pick(results.migrate);
    const g = pick(results.migratePlain);
    const line = (name: string, v: number) =>
      `[${label}] ${name} ${v.toFixed(0)} ms  ratio ${(v / p).toFixed(2)}x  overhead ${((v - p) / COUNT).toFixed(2)} ms/migration`;
    console.log(`[${label}] psql, one run, all SQL:               ${p.toFixed(0)} ms`);
    console.log(line('migrate up (transactional, default): ', m));
    console.log(line('migrate up (x-use-transaction=false):', g));
  }
  console.log(`raw: ${JSON.stringify(results)}`);
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
