/**
 * Benchmark: nginx access lines from a file, parsed and shipped to an HTTP sink (NDJSON batches),
 * with the shipper pinned to one core (taskset) and the sink in this process on another.
 * Beside it, in the same run, the floor: `cat file > /dev/null`. Prints lines/s, MiB/s, the ratio
 * to the floor, and the shipper's peak RSS (VmHWM).
 *
 *   npx tsc -b images/log-shipper/tsconfig.json
 *   node images/log-shipper/dist/bench/file-to-http.js [lines=1000000]
 *
 * BENCH_NODE_FLAGS (space-separated) replaces the node flags, which default to the image's
 * (the Dockerfile ENTRYPOINT).
 *
 * Bounded: one file of `lines` lines, a 120 s ceiling, loopback only; everything in a temp dir
 * that is removed at the end.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { entrypointNodeFlags } from '../test/entrypoint.js';

const LINES = Number(process.argv[2] ?? 1_000_000);
const CEILING_MS = 120_000;
const BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/log-shipper.js');

function nginxLine(i: number): string {
  return (
    `10.0.${i % 256}.${i % 200} - - [25/Nov/2026:07:56:33 +0000] "GET /api/v1/items/${i}?page=${i % 10} HTTP/1.1" ` +
    `200 ${1000 + (i % 5000)} "http://ref.example/page" "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"\n`
  );
}

function writeFile(path: string): number {
  const parts: string[] = [];
  for (let i = 0; i < LINES; i++) parts.push(nginxLine(i));
  writeFileSync(path, parts.join(''));
  return statSync(path).size;
}

function vmHwmKb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'log-shipper-bench-'));
  try {
    const file = join(dir, 'logs', 'access.log');
    execFileSync('mkdir', ['-p', dirname(file)]);
    const bytes = writeFile(file);
    const mib = bytes / 1024 / 1024;

    const catStart = process.hrtime.bigint();
    execFileSync('sh', ['-c', `cat '${file}' > /dev/null`]);
    const catSec = Number(process.hrtime.bigint() - catStart) / 1e9;

    let received = 0;
    let done: () => void = () => {};
    const allReceived = new Promise<void>((r) => {
      done = r;
    });
    const sink = createServer((req, res) => {
      let count = 0;
      req.on('data', (c: Buffer) => {
        for (let i = c.indexOf(10); i >= 0; i = c.indexOf(10, i + 1)) count += 1;
      });
      req.on('end', () => {
        received += count;
        res.writeHead(200).end();
        if (received >= LINES) done();
      });
    });
    sink.listen(0, '127.0.0.1');
    await once(sink, 'listening');
    const port = (sink.address() as AddressInfo).port;

    const core = String(cpus().length - 1);
    const start = process.hrtime.bigint();
    const child = spawn(
      'taskset',
      [
        '-c',
        core,
        process.execPath,
        ...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? entrypointNodeFlags()),
        BIN,
        '--input',
        join(dir, 'logs', '*.log'),
        '--parser',
        'nginx',
        '--output',
        `http://127.0.0.1:${port}/ingest`,
        '--state',
        join(dir, 'state'),
        '--metrics',
        'off',
        '-q',
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const childExit = once(child, 'exit');
    let peakKb = 0;
    const sampler = setInterval(() => {
      peakKb = Math.max(peakKb, vmHwmKb(child.pid!));
    }, 100);
    const timeout = new Promise<void>((r) => setTimeout(r, CEILING_MS).unref());
    // A shipper that exits early (a bad flag, a crash) ends the wait too.
    await Promise.race([allReceived, timeout, childExit]);
    const sec = Number(process.hrtime.bigint() - start) / 1e9;
    peakKb = Math.max(peakKb, vmHwmKb(child.pid!));
    clearInterval(sampler);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await childExit;
    sink.close();

    const shipMiBs = mib / sec;
    const catMiBs = mib / catSec;
    console.log(
      `input: ${LINES} lines, ${mib.toFixed(1)} MiB; shipper on core ${core} of ${cpus().length} (${cpus()[0]?.model})`,
    );
    console.log(
      `cat file > /dev/null : ${catSec.toFixed(3)} s  ${catMiBs.toFixed(1)} MiB/s  ${(LINES / catSec).toFixed(0)} lines/s`,
    );
    console.log(
      `log-shipper → HTTP   : ${sec.toFixed(3)} s  ${shipMiBs.toFixed(1)} MiB/s  ${(LINES / sec).toFixed(0)} lines/s  ` +
        `(received ${received}/${LINES})`,
    );
    console.log(`ratio shipper/cat    : ${(shipMiBs / catMiBs).toFixed(3)}`);
    console.log(
      `ratio vs goal 50 MiB/s: ${(shipMiBs / 50).toFixed(2)}; vs fluent-bit 35: ${(shipMiBs / 35).toFixed(2)}; vs Vector 76.7: ${(shipMiBs / 76.7).toFixed(2)}`,
    );
    console.log(`shipper peak RSS     : ${(peakKb / 1024).toFixed(1)} MiB (goal < 64 MiB)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
