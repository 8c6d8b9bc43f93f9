/**
 * Real redis-server processes (Debian's) on loopback ports, each in its own temporary directory, for
 * integration tests. Every process is stopped by PID and its directory removed: `stop()` for one
 * server, `stopAll()` for a group.
 *
 * Every server starts with `--repl-diskless-sync-delay 0`: Redis 7 otherwise waits 5 s for more
 * replicas before a master's first full sync, and any server may be (or be promoted to) a master.
 * Arguments the caller passes come later on the command line, so they override it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from './net.js';
import { RedisReplyError, redisCommand } from './resp.js';

export class RedisServer {
  #child: ChildProcess | undefined;

  constructor(
    readonly port: number,
    /** Its working directory (`--dir`); `stop()` removes it. */
    readonly dir: string,
    private readonly args: readonly string[] = [],
  ) {}

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Spawns the server (again, after `kill`, on the same port and directory) and waits until it answers PING. */
  async start(timeoutMs = 10_000): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'no',
        '--repl-diskless-sync-delay',
        '0',
        ...this.args,
      ],
      { stdio: 'ignore' },
    );
    this.#child = child;
    try {
      await waitFor(
        `redis-server on ${this.port}`,
        async () => {
          const reply = await redisCommand(this.port, ['PING'], 500);
          // A password-protected server answers NOAUTH: it is up all the same.
          return reply === 'PONG' || (reply instanceof RedisReplyError && reply.message.startsWith('NOAUTH'));
        },
        timeoutMs,
        { abort: () => child.exitCode !== null || child.signalCode !== null },
      );
    } catch (e) {
      await this.kill('SIGKILL');
      throw e;
    }
  }

  /** Sends `signal` (SIGKILL by default, like a crash) and waits for the exit. Safe to call twice. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.#child;
    if (!child) return;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill(signal);
      await exited;
    }
    this.#child = undefined;
  }

  /** Sends `signal` (SIGTERM by default; SIGKILL 5 s later if still running), waits, removes the directory. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.#child;
    const timer = child && signal !== 'SIGKILL' ? setTimeout(() => child.kill('SIGKILL'), 5000) : undefined;
    await this.kill(signal);
    clearTimeout(timer);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Starts one redis-server with `args` after the defaults, on `port` or a free one. */
export async function startRedis(opts: { port?: number; args?: string[] } = {}): Promise<RedisServer> {
  const port = opts.port ?? (await freePort());
  const server = new RedisServer(port, mkdtempSync(join(tmpdir(), 'test-redis-')), opts.args);
  try {
    await server.start();
  } catch (e) {
    await server.stop('SIGKILL');
    throw e;
  }
  return server;
}

/** Servers started together and stopped together (`stopAll`, in an `after` hook). */
export class RedisGroup {
  readonly servers: RedisServer[] = [];

  async startServer(extraArgs: string[] = []): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), mkdtempSync(join(tmpdir(), 'test-redis-')), extraArgs);
    // Tracked before it starts, so stopAll also stops a server that never answered.
    this.servers.push(server);
    await server.start();
    return server;
  }

  /** A master and `replicaCount` replicas, returned once every replica reports its link up. */
  async startReplicated(
    replicaCount: number,
    opts: { masterArgs?: string[]; replicaArgs?: string[] } = {},
  ): Promise<{ master: RedisServer; replicas: RedisServer[] }> {
    const master = await this.startServer(opts.masterArgs);
    const replicas: RedisServer[] = [];
    for (let i = 0; i < replicaCount; i++) {
      replicas.push(
        await this.startServer([
          '--replicaof',
          '127.0.0.1',
          String(master.port),
          '--repl-diskless-load',
          'disabled',
          ...(opts.replicaArgs ?? []),
        ]),
      );
    }
    for (const r of replicas) await waitForLink(r.port);
    return { master, replicas };
  }

  /** SIGKILLs every server and removes their directories. */
  async stopAll(): Promise<void> {
    for (const s of this.servers) await s.stop('SIGKILL');
  }
}

/** Waits until the replica on `port` reports its link to the master up (ROLE … "connected"). */
export async function waitForLink(port: number, timeoutMs = 10_000): Promise<void> {
  await waitFor(
    `replica ${port} link up`,
    async () => {
      const role = await redisCommand(port, ['ROLE'], 500);
      return Array.isArray(role) && role[3] === 'connected';
    },
    timeoutMs,
  );
}
