/**
 * Exec and port-forward through `podbay-shim exec|portforward`, which enter the container's (or
 * sandbox's) namespaces, cgroups and identity; the shim's exit code is the command's.
 * The helper takes identity, env and cgroups from the container's launch file, so exec runs as the
 * container does. With a TTY, the helper owns the pseudo-terminal and reads "ROWS COLS\n" resize lines on fd 3.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { Duplex, type Writable } from 'node:stream';
import { setLongTimeout } from '../util/long-timeout.js';
import { RuntimeError } from './errors.js';
import type { ExecOptions, ExecSession, ExecSyncResult } from './types.js';

/** What an exec needs of its container: the init pid and the launch file (identity, env, cgroups). */
export interface ExecTarget {
  pid: number;
  configPath: string;
}

/** How long the helper gets to end the command's process group before it is killed itself. */
const EXEC_KILL_GRACE_MS = 2000;

/**
 * Ends an exec: SIGTERM asks the shim's helper to SIGKILL the command's whole process group and exit
 * (killing only the helper would leave the command running in the container); SIGKILL follows if the
 * helper has not exited by then. The command also has a parent-death signal, for a helper killed outright.
 */
function endExec(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const force = setTimeout(() => child.kill('SIGKILL'), EXEC_KILL_GRACE_MS);
  force.unref();
  child.once('exit', () => clearTimeout(force));
}

export function execArgs(shimPath: string, target: ExecTarget, cmd: string[], tty: boolean) {
  const args = ['exec', '--pid', String(target.pid), '--config', target.configPath];
  if (tty) args.push('--tty');
  return [shimPath, [...args, '--', ...cmd]] as const;
}

export function execSync(
  shimPath: string,
  target: ExecTarget,
  cmd: string[],
  timeoutSeconds = 0,
): Promise<ExecSyncResult> {
  const [file, args] = execArgs(shimPath, target, cmd, false);
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer =
      timeoutSeconds > 0
        ? setLongTimeout(() => {
            timedOut = true;
            endExec(child);
            // Reported now: a process that escaped the helper's process group could keep the pipes
            // open, and a probe must not wait for it.
            reject(
              new RuntimeError('Exec', `command ${JSON.stringify(cmd)} timed out after ${timeoutSeconds}s`),
            );
          }, timeoutSeconds * 1000)
        : undefined;
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      timer?.clear();
      if (timedOut) return;
      resolve({
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err),
        exitCode: code ?? 128 + (signal ? 9 : 0),
      });
    });
  });
}

export function execStream(shimPath: string, target: ExecTarget, o: ExecOptions): ExecSession {
  const tty = o.tty === true;
  const [file, args] = execArgs(shimPath, target, o.cmd, tty);
  const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe', tty ? 'pipe' : 'ignore'] });
  const stdin = child.stdin!;
  if (o.stdin) o.stdin.pipe(stdin);
  else stdin.end();
  stdin.on('error', () => {});
  if (o.stdout) child.stdout!.pipe(o.stdout, { end: false });
  else child.stdout!.resume();
  if (o.stderr) child.stderr!.pipe(o.stderr, { end: false });
  else child.stderr!.resume();
  const control = child.stdio[3] as Writable | null;
  control?.on('error', () => {});
  const exitCode = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve(code ?? (signal ? 137 : 1)));
  });
  return {
    resize({ rows, cols }) {
      if (control && Number.isInteger(rows) && Number.isInteger(cols)) control.write(`${rows} ${cols}\n`);
    },
    exitCode,
    kill() {
      endExec(child);
    },
  };
}

/** A duplex byte stream to 127.0.0.1:port in the network namespace of `holderPid`. */
export function portForward(shimPath: string, holderPid: number, port: number): Duplex {
  const child = spawn(shimPath, ['portforward', '--pid', String(holderPid), '--port', String(port)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const err: Buffer[] = [];
  child.stderr.on('data', (b: Buffer) => err.push(b));
  child.stdin.on('error', () => {});
  const duplex = Duplex.from({ readable: child.stdout, writable: child.stdin });
  child.on('close', (code) => {
    if (code !== 0 && !duplex.destroyed) {
      duplex.destroy(
        new RuntimeError('Exec', Buffer.concat(err).toString().trim() || `port-forward exited ${code}`),
      );
    }
  });
  duplex.on('close', () => child.kill('SIGTERM'));
  return duplex;
}
