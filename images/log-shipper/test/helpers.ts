/**
 * Shared fixtures for the integration tests: the shipper as a real child process, an HTTP sink
 * that records what it receives and can be switched off, and an nginx-format line writer that
 * rotates the way logrotate does. Everything listens on 127.0.0.1 and lives in a temp dir.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  closeSync,
  copyFileSync,
  openSync,
  readFileSync,
  renameSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { entrypointNodeFlags } from './entrypoint.js';

export const BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/log-shipper.js');

/** The node flags of the image's entrypoint (read from the Dockerfile): what the image runs with. */
export const ENTRYPOINT_NODE_FLAGS = entrypointNodeFlags();

export interface Shipper {
  readonly proc: ChildProcess;
  readonly stderr: string[];
  readonly stdout: string[];
  waitForLog(re: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startShipper(
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; uid?: number; gid?: number } = {},
): Shipper {
  const proc = spawn(process.execPath, [...ENTRYPOINT_NODE_FLAGS, BIN, ...args], {
    env: { PATH: process.env.PATH, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.gid ?? opts.uid } : {}),
  });
  const stderr: string[] = [];
  const stdout: string[] = [];
  const waiters: Array<() => void> = [];
  const collect = (sink: string[]) => {
    let rest = '';
    return (chunk: Buffer) => {
      const parts = (rest + chunk.toString()).split('\n');
      rest = parts.pop() ?? '';
      sink.push(...parts);
      for (const w of waiters.splice(0)) w();
    };
  };
  proc.stderr!.on('data', collect(stderr));
  proc.stdout!.on('data', collect(stdout));
  const exited = once(proc, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  return {
    proc,
    stderr,
    stdout,
    exited,
    async waitForLog(re, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = stderr.find((l) => re.test(l));
        if (hit) return hit;
        if (Date.now() > deadline || proc.exitCode !== null) {
          throw new Error(
            `no log line matching ${re} within ${timeoutMs} ms; stderr:\n${stderr.slice(-20).join('\n')}`,
          );
        }
        await Promise.race([new Promise<void>((r) => waiters.push(r)), sleep(100)]);
      }
    },
  };
}

/** The port the shipper's metrics server bound (it logs it at start). */
export async function metricsPort(s: Shipper): Promise<number> {
  const line = await s.waitForLog(/"metrics":"[^"]+:\d+"/);
  return Number(/"metrics":"[^"]+:(\d+)"/.exec(line)![1]);
}

export async function scrape(port: number, path = '/metrics'): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: await res.text() };
}

export function metricValue(text: string, name: string): number {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : Number.NaN;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** Peak resident set size (VmHWM) of a live process, in bytes. */
export function peakRss(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * An HTTP sink that accepts NDJSON batches and counts how often each writer sequence number
 * (`/seq/<n>` in the request path field) arrived. `mode` switches it between accepting,
 * answering 503 without recording, and closed (connection refused).
 */
export class RecordingSink {
  readonly seen = new Map<number, number>();
  readonly records: string[] = [];
  requests = 0;
  mode: 'up' | 'error' = 'up';
  keepRecords = false;
  #server: Server | null = null;
  port = 0;

  async start(port = 0): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.requests += 1;
        if (this.mode === 'error') {
          res.writeHead(503).end('down for maintenance');
          return;
        }
        const text = Buffer.concat(chunks).toString();
        for (const m of text.matchAll(/"path":"\/seq\/(\d+)"/g)) {
          const n = Number(m[1]);
          this.seen.set(n, (this.seen.get(n) ?? 0) + 1);
        }
        if (this.keepRecords) for (const l of text.split('\n')) if (l !== '') this.records.push(l);
        res.writeHead(200).end();
      });
    });
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    this.#server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Closes the listening socket: the shipper then gets connection refused. */
  async stop(): Promise<void> {
    const s = this.#server;
    this.#server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }

  /** Sequence numbers 0…n-1 never received, and how many arrived more than once. */
  check(n: number): { missing: number[]; duplicates: number } {
    const missing: number[] = [];
    let duplicates = 0;
    for (let i = 0; i < n; i++) {
      const c = this.seen.get(i) ?? 0;
      if (c === 0) missing.push(i);
      else duplicates += c - 1;
    }
    return { missing, duplicates };
  }
}

export function nginxLine(seq: number): string {
  return (
    `10.0.${seq % 256}.${seq % 7} - - [25/Nov/2026:07:56:33 +0000] "GET /seq/${seq} HTTP/1.1" ` +
    `${seq % 10 === 0 ? 404 : 200} ${seq % 5000} "http://ref.example/" "writer/1.0 (#${seq})"\n`
  );
}

/** Writes numbered nginx lines to a file it keeps open in append mode, like nginx does. */
export class NginxWriter {
  readonly path: string;
  #fd: number;
  next = 0;
  #rotations = 0;

  constructor(path: string) {
    this.path = path;
    this.#fd = openSync(path, 'a');
  }

  write(count: number): void {
    let text = '';
    for (let i = 0; i < count; i++) text += nginxLine(this.next++);
    writeSync(this.#fd, text);
  }

  /** logrotate `create`: rename, keep writing to the old file for `lagLines` (nginx before USR1), reopen. */
  renameRotate(lagLines = 100): string {
    const rotated = `${this.path}.${++this.#rotations}`;
    renameSync(this.path, rotated);
    this.write(lagLines);
    closeSync(this.#fd);
    this.#fd = openSync(this.path, 'a');
    return rotated;
  }

  /** logrotate `copytruncate`: copy, then truncate in place; the writer's O_APPEND fd goes on at 0. */
  copyTruncate(): string {
    const copy = `${this.path}.${++this.#rotations}`;
    copyFileSync(this.path, copy);
    truncateSync(this.path, 0);
    return copy;
  }

  close(): void {
    closeSync(this.#fd);
  }
}

export function stateFile(stateDir: string): string {
  return join(stateDir, 'checkpoints.json');
}

export function writeFileSyncSafe(path: string, text: string): void {
  writeFileSync(path, `${text}\n`);
}
