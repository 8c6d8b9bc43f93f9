/**
 * Runs a manifest's container as podbay would (catalog program, Kubernetes command/args, env,
 * ConfigMap files) but as a plain process on loopback, for the examples-runs-*.test.ts files.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import type { Container } from 'kubernetes-types/core/v1';
import { allContainers, catalogReady, pods, ROOT } from './examples-manifests.js';

/** `text` with each [from, to] replaced; fails when `from` is absent (the test would go stale). */
export function rewrite(text: string, pairs: readonly (readonly [string, string])[]): string {
  return pairs.reduce((t, [from, to]) => {
    assert.ok(t.includes(from), `expected ${JSON.stringify(from)} in the config`);
    return t.split(from).join(to);
  }, text);
}

export async function stopProcess(p: ChildProcess | undefined): Promise<void> {
  if (!p || p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill('SIGTERM');
  const t = setTimeout(() => p.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(t);
}

export interface Running {
  readonly proc: ChildProcess;
  output(): string;
}

/**
 * Starts a container's process the way podbay does: Kubernetes' command/args over the catalog's
 * entrypoint/cmd, the manifest's plain env values plus `env` (which the test uses for what a pod
 * would get from Secrets, DNS or its own ports), in `cwd`. `$(VAR)` in args is expanded from that env.
 */
export async function startContainer(
  c: Container,
  env: Record<string, string>,
  opts: { cwd?: string; rewriteArg?: (arg: string) => string } = {},
): Promise<Running> {
  const image = (await catalogReady).resolve(c.image!);
  const vars: Record<string, string> = {};
  for (const e of c.env ?? []) if (e.value !== undefined) vars[e.name] = e.value;
  Object.assign(vars, env);
  const mapArg = opts.rewriteArg ?? ((a: string) => a);
  const args = (c.args ?? (c.command ? [] : image.cmd)).map((a) =>
    mapArg(a.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name: string) => vars[name] ?? m)),
  );
  const [file, ...rest] = [...(c.command ?? image.entrypoint), ...args];
  const proc = spawn(file!, rest, {
    cwd: opts.cwd ?? ROOT,
    env: { PATH: process.env.PATH, ...vars },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  proc.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return { proc, output: () => out };
}

/** Polls `cond` every 50 ms, at most `timeoutMs`; fails naming `what` (and `detail()`) otherwise. */
export async function until(
  what: string,
  cond: () => Promise<boolean> | boolean,
  timeoutMs = 15_000,
  detail = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for ${what}\n${detail()}`);
}

export const redisCli = (port: number, ...args: string[]): string =>
  spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8', timeout: 5_000 }).stdout;

/** `calls` of one command in INFO commandstats (0 when never called). */
export const commandCalls = (port: number, command: string): number =>
  Number(
    new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(redisCli(port, 'info', 'commandstats'))?.[1] ?? 0,
  );

export function containerOf(owner: string, name: string): Container {
  const pod = pods.find((p) => p.owner === owner)!;
  return allContainers(pod.spec).find((c) => c.name === name)!;
}

export async function completion(r: Running, timeoutMs = 60_000): Promise<number | null> {
  if (r.proc.exitCode !== null) return r.proc.exitCode;
  const t = setTimeout(() => r.proc.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((res) => r.proc.once('exit', (c) => res(c)));
  clearTimeout(t);
  return code;
}
