/**
 * The background `podbay server` that `podbay up` starts and `podbay down` stops. Its data dir
 * holds the pid file (`server.pid`), the log (`server.log`) and the kubeconfig it writes once
 * ready. A server counts as running only if the pid file names a live `podbay server` process for
 * this data dir AND its /readyz answers ok: a stale pid file (reboot, kill -9) is not trusted.
 */
import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { type ApiConnection, apiGet, connectionFromKubeconfig } from './api-client.js';

const REPO_ROOT = new URL('../../../', import.meta.url).pathname;
export const PODBAY_BIN = join(REPO_ROOT, 'bin', 'podbay.js');

export class ServerProcessError extends Error {
  readonly code = 'PODBAY_SERVER_PROCESS';
}

export interface ServerPaths {
  dataDir: string;
  pidFile: string;
  logFile: string;
  kubeconfig: string;
}

export function serverPaths(dataDir: string): ServerPaths {
  const dir = resolve(dataDir);
  return {
    dataDir: dir,
    pidFile: join(dir, 'server.pid'),
    logFile: join(dir, 'server.log'),
    kubeconfig: join(dir, 'kubeconfig'),
  };
}

export interface RunningServer {
  pid: number;
  conn: ApiConnection;
  startedAt: Date;
  /** The server's own command line (to know whether it cleans up on exit). */
  argv: string[];
}

function processArgv(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .filter((a) => a !== '');
  } catch {
    return undefined;
  }
}

/** True when `pid` is a `podbay server` process serving `dataDir` (guards against pid reuse). */
function isServerFor(argv: string[] | undefined, dataDir: string): argv is string[] {
  if (!argv?.includes('server')) return false;
  const at = argv.indexOf('--data-dir');
  return at >= 0 && resolve(argv[at + 1] ?? '') === dataDir;
}

export function readPid(paths: ServerPaths): number | undefined {
  if (!existsSync(paths.pidFile)) return undefined;
  const pid = Number(readFileSync(paths.pidFile, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readyzOk(conn: ApiConnection): Promise<boolean> {
  try {
    return (await apiGet(conn, '/readyz', {}, 2000)).status === 200;
  } catch {
    return false;
  }
}

/** The live `podbay server` process of the pid file, ready or not (never a foreign process). */
export function findServerProcess(paths: ServerPaths): { pid: number; argv: string[] } | undefined {
  const pid = readPid(paths);
  if (pid === undefined || !processAlive(pid)) return undefined;
  const argv = processArgv(pid);
  return isServerFor(argv, paths.dataDir) ? { pid, argv } : undefined;
}

/** The running server of this data dir, or undefined (no pid file, dead, foreign or not ready). */
export async function findRunningServer(paths: ServerPaths): Promise<RunningServer | undefined> {
  const proc = findServerProcess(paths);
  if (!proc || !existsSync(paths.kubeconfig)) return undefined;
  const { pid, argv } = proc;
  const conn = connectionFromKubeconfig(paths.kubeconfig);
  if (!(await readyzOk(conn))) return undefined;
  return { pid, conn, startedAt: statSync(paths.pidFile).mtime, argv };
}

function logTail(paths: ServerPaths, lines = 25): string {
  if (!existsSync(paths.logFile)) return '';
  return readFileSync(paths.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

export interface StartOptions {
  listen: string;
  /** Extra `podbay server` flags (tests shorten back-offs with them). */
  extraArgs?: readonly string[];
  readyTimeoutMs?: number;
}

/**
 * Starts `podbay server --cleanup-on-exit` detached from this process (it outlives `podbay up`),
 * its output appended to the log, and waits until its kubeconfig exists and /readyz says ok.
 */
export async function startServer(paths: ServerPaths, o: StartOptions): Promise<RunningServer> {
  mkdirSync(paths.dataDir, { recursive: true, mode: 0o700 });
  // The server writes a new kubeconfig once ready; an old one would make us talk too early.
  rmSync(paths.kubeconfig, { force: true });
  const log = openSync(paths.logFile, 'a', 0o600);
  const argv = [
    PODBAY_BIN,
    'server',
    '--data-dir',
    paths.dataDir,
    '--listen',
    o.listen,
    '--cleanup-on-exit',
    ...(o.extraArgs ?? []),
  ];
  const child = spawn(process.execPath, argv, { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  const pid = child.pid;
  if (pid === undefined)
    throw new ServerProcessError(`could not start ${process.execPath} ${argv.join(' ')}`);
  child.unref();
  writeFileSync(paths.pidFile, `${pid}\n`, { mode: 0o600 });
  return awaitReady(paths, pid, o.readyTimeoutMs ?? 60_000);
}

/**
 * Waits until the server process `pid` of this data dir answers /readyz (a server `up` just
 * started, or one still starting from an earlier run: never start a second one on the same data
 * dir). Throws with the end of the log if it exits or stays unready past the timeout.
 */
export async function awaitReady(paths: ServerPaths, pid: number, timeoutMs: number): Promise<RunningServer> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // Only liveness here: right after spawn the child's cmdline is still its parent's until exec.
    if (!processAlive(pid) || (processArgv(pid)?.length ?? 0) === 0) {
      rmSync(paths.pidFile, { force: true });
      throw new ServerProcessError(
        `podbay server exited during start-up; the end of ${paths.logFile}:\n${logTail(paths)}`,
      );
    }
    const running = existsSync(paths.kubeconfig) ? await findRunningServer(paths) : undefined;
    if (running) return running;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new ServerProcessError(
    `podbay server (pid ${pid}) not ready after ${timeoutMs / 1000} s; the end of ${paths.logFile}:\n${logTail(paths)}`,
  );
}

/**
 * SIGTERM, then waits for the process to exit (a server started with --cleanup-on-exit removes
 * every pod first, which takes a few seconds per pod's grace period). Resolves false if it had
 * to be killed after `timeoutMs`.
 */
export async function stopServer(paths: ServerPaths, pid: number, timeoutMs = 120_000): Promise<boolean> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
  const deadline = Date.now() + timeoutMs;
  let graceful = true;
  // A zombie (exited, not yet reaped) has an empty cmdline: count it as gone.
  while (processAlive(pid) && (processArgv(pid)?.length ?? 0) > 0) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
      graceful = false;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  rmSync(paths.pidFile, { force: true });
  return graceful;
}
