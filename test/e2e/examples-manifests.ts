/**
 * Shared by the examples/patterns tests: the rendered manifests (`kubectl kustomize`, offline),
 * the pod specs found in them, and the repository's image catalog.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Container, PodSpec } from 'kubernetes-types/core/v1';
import YAML from 'yaml';
import { ImageCatalog } from '../../src/runtime/catalog.js';
import { KUBECTL } from './harness.js';

export const ROOT = new URL('../../../', import.meta.url).pathname;
export const PATTERNS = join(ROOT, 'examples/patterns');
export const PATTERN_DIRS = ['database', 'sidecar', 'ambassador', 'adapter', 'init-containers'] as const;

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: unknown;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

/** A pod spec found in a Pod or in a Deployment's template, with where it came from. */
export interface PodSource {
  readonly owner: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly spec: PodSpec;
}

/** The objects the issue names: `Kind namespace/name` (cluster-scoped kinds have no namespace). */
export const ISSUE_OBJECTS = [
  'Namespace database',
  'Namespace development',
  'Secret database/database-credentials',
  'Service database/redis-master',
  'Service database/redis-replica',
  'Service database/redis',
  'Deployment database/redis-master',
  'Deployment database/redis-replica',
  'Deployment database/postgres',
  'Deployment development/web-app-with-logging',
  'ConfigMap development/web-app-config',
  'Pod development/app-with-redis-ambassador',
  'ConfigMap development/app-source-code',
  'ConfigMap development/redis-ambassador-config',
  'Deployment development/legacy-app-with-adapter',
  'Deployment development/web-app-with-init',
  'ConfigMap development/database-migrations',
  'ConfigMap development/application-config',
  'Secret development/database-credentials',
];

/** kubectl for client-side work: no kubeconfig, no cluster, a discovery cache of its own. */
export function kubectlOffline(args: string[]): string {
  const home = mkdtempSync(join(tmpdir(), 'podbay-examples-kubectl-'));
  try {
    const r = spawnSync(KUBECTL, args, {
      encoding: 'utf8',
      timeout: 60_000,
      maxBuffer: 64 * 1024 * 1024,
      env: {
        PATH: process.env.PATH,
        HOME: home,
        KUBECACHEDIR: join(home, 'cache'),
        KUBECONFIG: join(home, 'none'),
      },
    });
    assert.equal(r.status, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}`);
    return r.stdout;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

export function parseDocs(text: string): KubeObject[] {
  return YAML.parseAllDocuments(text)
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null);
}

/** The object's spec, typed by the caller (the tests assert what they rely on). */
export const specOf = <T>(o: KubeObject): T => o.spec as T;

export const id = (o: KubeObject): string =>
  `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;

/** Every manifest file under examples/patterns (kustomization.yaml files are kustomize's, not objects). */
export function manifestFiles(dir = PATTERNS): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return manifestFiles(path);
      return name.endsWith('.yaml') && name !== 'kustomization.yaml' ? [path] : [];
    });
}

export function podSources(objects: readonly KubeObject[]): PodSource[] {
  return objects.flatMap((o): PodSource[] => {
    const namespace = o.metadata.namespace ?? 'default';
    if (o.kind === 'Pod') {
      const meta = o.metadata as { labels?: Record<string, string>; annotations?: Record<string, string> };
      return [
        {
          owner: id(o),
          namespace,
          labels: meta.labels ?? {},
          annotations: meta.annotations ?? {},
          spec: specOf<PodSpec>(o),
        },
      ];
    }
    if (o.kind === 'Deployment') {
      const { template: t } = specOf<{
        template: {
          metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
          spec: PodSpec;
        };
      }>(o);
      return [
        {
          owner: id(o),
          namespace,
          labels: t.metadata?.labels ?? {},
          annotations: t.metadata?.annotations ?? {},
          spec: t.spec,
        },
      ];
    }
    return [];
  });
}

export const allContainers = (spec: PodSpec): Container[] => [
  ...(spec.initContainers ?? []),
  ...spec.containers,
];

export const selects = (selector: Record<string, string>, labels: Record<string, string>): boolean =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

/** A probe or Service port names a port the container declares, by number or by name. */
export function declaresPort(c: Container, port: number | string): boolean {
  return (c.ports ?? []).some((p) => (typeof port === 'number' ? p.containerPort === port : p.name === port));
}

export const rendered = parseDocs(kubectlOffline(['kustomize', PATTERNS]));
export const pods = podSources(rendered);
export const find = (kind: string, namespace: string, name: string): KubeObject | undefined =>
  rendered.find((o) => o.kind === kind && o.metadata.namespace === namespace && o.metadata.name === name);

/** The repository's image catalog (no user catalog: an empty data dir). */
export const catalogReady = (async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'podbay-examples-catalog-'));
  try {
    return await ImageCatalog.load({ dataDir, repoRoot: ROOT });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
})();
// A broken catalog fails the tests that await it, not the whole file as an unhandled rejection.
catalogReady.catch(() => {});
