// Runs the built `migrate` CLI as a separate process, the way an init container runs it.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MIGRATE_BIN = fileURLToPath(new URL('../../../bin/migrate.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  stdout: string;
}

export function startMigrate(args: string[], stdin = ''): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [MIGRATE_BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stdin?.end(stdin);
  const done = new Promise<CliResult>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      // Give stdio a tick to flush.
      setImmediate(() => resolve({ code, signal, stderr, stdout }));
    });
  });
  return { child, done };
}

export function migrateCli(args: string[], stdin = ''): Promise<CliResult> {
  return startMigrate(args, stdin).done;
}

/** A temporary migrations directory; `files` maps file name to SQL. */
export function migrationsDir(files: Record<string, string>): {
  dir: string;
  write(name: string, sql: string): void;
  remove(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'migrate-src-'));
  const write = (name: string, sql: string) => writeFileSync(join(dir, name), sql);
  for (const [name, sql] of Object.entries(files)) write(name, sql);
  return { dir, write, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
