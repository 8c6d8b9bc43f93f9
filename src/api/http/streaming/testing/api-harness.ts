/**
 * An in-process podbay API server for the streaming tests, assembled as engine.ts does (store →
 * registry → bootstrap objects → HTTPS API) but wired with this folder's handlers, the metrics API
 * and a test backend, plus the stock kubectl pointed at it through its own kubeconfig and cache
 * dir (never ~/.kube). `close` stops everything it started and removes its temp dirs.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { ensureBootstrapObjects } from '../../../../server/bootstrap.js';
import { writeKubeconfig } from '../../../../server/kubeconfig.js';
import { loadOrCreatePki } from '../../../../server/pki.js';
import { Store } from '../../../../store/sqlite-store.js';
import type { CgroupMetricsDeps } from '../../../metrics/cgroup-source.js';
import { createMetricsApi } from '../../../metrics/index.js';
import { createStrategies } from '../../../registry/catalog.js';
import { Registry } from '../../../registry/registry.js';
import { ApiServer } from '../../../server.js';
import type { PodStreamingBackend } from '../backend.js';
import { bridgeUpgrades, createStreamingSubresources } from '../index.js';

export const KUBECTL = '/usr/bin/kubectl';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface HarnessOptions {
  backend: PodStreamingBackend;
  metrics: Omit<CgroupMetricsDeps, 'rate'>;
}

export class StreamingApiHarness {
  private constructor(
    readonly registry: Registry,
    private readonly stops: (() => unknown)[],
    readonly dir: string,
  ) {}

  get kubeconfig(): string {
    return join(this.dir, 'kubeconfig');
  }
  get cacheDir(): string {
    return join(this.dir, 'kubecache');
  }

  static async start(o: HarnessOptions): Promise<StreamingApiHarness> {
    const dir = mkdtempSync('/tmp/podbay-streaming-api-');
    const clock = { now: () => new Date() };
    // PODBAY_TEST_LOG=1 shows what the handlers log (protocol errors, port-forward failures).
    const log = process.env.PODBAY_TEST_LOG ? (m: string) => console.error(`[api] ${m}`) : () => {};
    const store = Store.open({ path: join(dir, 'state.db') });
    const registry = new Registry({ store, strategies: createStrategies({ store }), clock });
    ensureBootstrapObjects(registry, dir, clock.now());
    const pki = await loadOrCreatePki(dir, ['127.0.0.1']);
    const getPod = (ns: string, name: string) => registry.mustGet('pods', ns, name).object as unknown as Pod;
    const streaming = createStreamingSubresources({
      getPod,
      backend: o.backend,
      clock,
      log,
      logPollMs: 100,
    });
    const metrics = createMetricsApi({
      ...o.metrics,
      listPods: (ns, labelSelector) =>
        registry.list('pods', {
          namespace: ns,
          ...(labelSelector ? { labelSelector } : {}),
        }) as unknown as Pod[],
      getPod,
      listNodes: (labelSelector) =>
        registry.list('nodes', labelSelector ? { labelSelector } : {}) as unknown as Node[],
      clock,
    });
    const api = new ApiServer({
      registry,
      host: '127.0.0.1',
      port: 0,
      tls: { key: pki.key, cert: pki.cert },
      token: pki.token,
      clock,
      log,
      subresources: streaming.handlers,
      extraResources: metrics.resources,
      extraRoutes: metrics.routes,
    });
    const unbridge = bridgeUpgrades(api.server);
    const addr = await api.listen();
    writeKubeconfig(join(dir, 'kubeconfig'), `https://127.0.0.1:${addr.port}`, pki.caCert, pki.token);
    return new StreamingApiHarness(
      registry,
      [() => streaming.close(), unbridge, () => api.close(), () => store.close()],
      dir,
    );
  }

  /** The environment that points kubectl at this server (own kubeconfig and cache, never ~/.kube). */
  get env(): NodeJS.ProcessEnv {
    return { ...process.env, KUBECONFIG: this.kubeconfig, KUBECACHEDIR: this.cacheDir, HOME: this.dir };
  }

  /** Starts a command (kubectl by default); the caller owns the process and stops it by PID. */
  spawnKubectl(args: string[], command = KUBECTL, env: NodeJS.ProcessEnv = {}): ChildProcess {
    return spawn(command, args, {
      env: { ...this.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  }

  /** Runs a command (kubectl by default) to completion, killing it by PID after timeoutMs. */
  run(
    args: string[],
    o: { input?: string; timeoutMs?: number; command?: string; env?: NodeJS.ProcessEnv } = {},
  ): Promise<KubectlResult> {
    return new Promise((resolve) => {
      const p = this.spawnKubectl(args, o.command ?? KUBECTL, o.env);
      let stdout = '';
      let stderr = '';
      p.stdout!.on('data', (d: Buffer) => {
        stdout += d.toString();
      });
      p.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      const t = setTimeout(() => p.kill('SIGKILL'), o.timeoutMs ?? 30_000);
      p.on('close', (code, sig) => {
        clearTimeout(t);
        resolve({ code: code ?? (sig ? 128 : 1), stdout, stderr });
      });
      p.stdin!.end(o.input ?? '');
    });
  }

  kubectl(
    args: string[],
    o: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
  ): Promise<KubectlResult> {
    return this.run(args, o);
  }

  async close(): Promise<void> {
    for (const s of this.stops) await s();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
