/**
 * Test harness: a real `podbay server` process on a free loopback port with its own data dir,
 * and the stock kubectl (/usr/bin/kubectl) pointed at it through a kubeconfig and a discovery
 * cache dir of the test's own (never the user's ~/.kube). Every process started here is stopped
 * by PID in `stop()`, and the temp dirs are removed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';

const ROOT = new URL('../../../', import.meta.url).pathname;
export const PODBAY_BIN = join(ROOT, 'bin/podbay.js');
export const KUBECTL = '/usr/bin/kubectl';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class TestServer {
  proc: ChildProcess | undefined;
  readonly dataDir: string;
  readonly cacheDir: string;
  stderr = '';
  url = '';
  token = '';

  constructor(dataDir?: string) {
    this.dataDir = dataDir ?? mkdtempSync(join(tmpdir(), 'podbay-e2e-'));
    this.cacheDir = mkdtempSync(join(tmpdir(), 'podbay-kubecache-'));
  }

  get kubeconfig(): string {
    return join(this.dataDir, 'kubeconfig');
  }

  /**
   * Starts the server and resolves once it has written its kubeconfig (it is then ready).
   * Without `--run-pods` in extraArgs the server is API-only (`--no-run-pods`): the API suites
   * test kube-apiserver's behaviour, as upstream's integration tests do, with no node running
   * their pods (some play the kubelet themselves through pods/status).
   */
  async start(listen = '127.0.0.1:0', extraArgs: string[] = []): Promise<void> {
    rmSync(this.kubeconfig, { force: true });
    this.stderr = '';
    const mode = extraArgs.includes('--run-pods') ? [] : ['--no-run-pods'];
    const proc = spawn(
      process.execPath,
      [PODBAY_BIN, 'server', '--data-dir', this.dataDir, '--listen', listen, ...mode, ...extraArgs],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    this.proc = proc;
    proc.stderr!.on('data', (d: Buffer) => {
      this.stderr += d.toString();
    });
    const deadline = Date.now() + 20_000;
    while (!existsSync(this.kubeconfig)) {
      if (proc.exitCode !== null)
        throw new Error(`podbay server exited with ${proc.exitCode}:\n${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`podbay server not ready after 20 s:\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const kc = YAML.parse(readFileSync(this.kubeconfig, 'utf8'));
    this.url = kc.clusters[0].cluster.server;
    this.token = kc.users[0].user.token;
  }

  /** SIGTERM (or another signal) and wait for the exit; resolves with the exit code or signal. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | string | null> {
    const p = this.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return p?.exitCode ?? p?.signalCode ?? null;
    const done = new Promise<number | string | null>((r) => p.once('exit', (code, sig) => r(code ?? sig)));
    p.kill(signal);
    const t = setTimeout(() => p.kill('SIGKILL'), 10_000);
    const res = await done;
    clearTimeout(t);
    return res;
  }

  /** Stops the server and removes its data and cache dirs. */
  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
    rmSync(this.cacheDir, { recursive: true, force: true });
  }

  /** Runs the stock kubectl against this server. `input` is fed to stdin. */
  kubectl(args: string[], input?: string, timeoutMs = 60_000): Promise<KubectlResult> {
    return new Promise((resolve) => {
      const p = spawn(KUBECTL, args, {
        env: {
          ...process.env,
          KUBECONFIG: this.kubeconfig,
          KUBECACHEDIR: this.cacheDir,
          HOME: this.cacheDir,
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
      });
      p.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      const t = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
      p.on('close', (code, sig) => {
        clearTimeout(t);
        resolve({ code: code ?? (sig ? 128 : 1), stdout, stderr });
      });
      // kubectl may exit without reading its stdin (a quick error, or a command that takes none):
      // EPIPE then is not the test's failure, the exit code and output are.
      p.stdin.on('error', () => {});
      p.stdin.end(input ?? '');
    });
  }

  /** kubectl that must succeed: throws with its output otherwise. */
  async k(args: string[], input?: string): Promise<string> {
    const r = await this.kubectl(args, input);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}:\n${r.stderr}${r.stdout}`);
    return r.stdout;
  }

  /** A raw HTTPS request with the admin token (for wire-level checks kubectl cannot make). */
  async request(
    method: string,
    path: string,
    body?: string | Buffer,
    headers: Record<string, string> = {},
    auth = true,
  ) {
    const { request } = await import('node:https');
    const ca = Buffer.from(
      YAML.parse(readFileSync(this.kubeconfig, 'utf8')).clusters[0].cluster['certificate-authority-data'],
      'base64',
    );
    const u = new URL(path, this.url);
    return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
      (resolve, reject) => {
        // `path` goes raw: a URL object would resolve `..` and `%2E%2E` segments before sending.
        const req = request(
          {
            host: u.hostname,
            port: u.port,
            path,
            method,
            ca,
            headers: {
              ...(auth ? { Authorization: `Bearer ${this.token}` } : {}),
              // Content-Length always: Node sends DELETE bodies unframed otherwise.
              ...(body
                ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) }
                : {}),
              ...headers,
            },
          },
          (res) => {
            let data = '';
            res.on('data', (d: Buffer) => {
              data += d.toString();
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
          },
        );
        req.on('error', reject);
        if (body) req.write(body);
        req.end();
      },
    );
  }
}

/** Writes a manifest to a temp file and returns its path (removed with the dir by the caller). */
export function writeManifest(dir: string, name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** Polls `cond` every 100 ms until it holds; throws naming `what` after the timeout. */
export async function waitFor(cond: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
