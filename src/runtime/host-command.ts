/**
 * Runs host tools (ip, nft, the shim) without a shell: argv in, stdout out, CommandError with
 * stderr on a non-zero exit. Optional stdin feeds batch modes (`ip -batch -`, `nft -f -`).
 */
import { spawn } from 'node:child_process';
import { CommandError } from './errors.js';

export interface RunOptions {
  input?: string;
  /** Resolve even on a non-zero exit (the caller inspects the result). */
  allowFailure?: boolean;
  timeoutMs?: number;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

export function run(argv: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 30_000,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      const result = {
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
        exitCode: code,
      };
      if (code !== 0 && !options.allowFailure) reject(new CommandError(argv, code, result.stderr));
      else resolve(result);
    });
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}
