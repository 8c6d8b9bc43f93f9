/**
 * Test helper (not product code): a throwaway loopback HTTP server that answers just enough for the stock
 * kubectl to send one `create` request, and records the request bodies it receives. Used to capture real
 * protobuf test vectors, both for the committed fixtures and for the live test against today's kubectl.
 *
 * Every kubectl run gets its own temp dir with a kubeconfig and a KUBECACHEDIR (never ~/.kube); the dir
 * is removed when the run ends. `close()` is safe to call twice.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const KUBECTL = '/usr/bin/kubectl';
/** Upper bound for one kubectl run, so a hung client cannot stall the suite. */
const KUBECTL_TIMEOUT_MS = 30_000;
const AGGREGATED_DISCOVERY = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

export interface CapturedRequest {
  readonly method: string;
  readonly url: string;
  readonly contentType: string;
  readonly body: Buffer;
}

interface ResourceRow {
  readonly resource: string;
  readonly kind: string;
  readonly singular: string;
  readonly namespaced: boolean;
}

const CORE: readonly ResourceRow[] = [
  { resource: 'namespaces', kind: 'Namespace', singular: 'namespace', namespaced: false },
  { resource: 'configmaps', kind: 'ConfigMap', singular: 'configmap', namespaced: true },
  { resource: 'secrets', kind: 'Secret', singular: 'secret', namespaced: true },
  { resource: 'services', kind: 'Service', singular: 'service', namespaced: true },
  { resource: 'serviceaccounts', kind: 'ServiceAccount', singular: 'serviceaccount', namespaced: true },
  { resource: 'pods', kind: 'Pod', singular: 'pod', namespaced: true },
];
const APPS: readonly ResourceRow[] = [
  { resource: 'deployments', kind: 'Deployment', singular: 'deployment', namespaced: true },
  { resource: 'replicasets', kind: 'ReplicaSet', singular: 'replicaset', namespaced: true },
];

function discoveryGroup(name: string, group: string, rows: readonly ResourceRow[]): unknown {
  return {
    metadata: { name },
    versions: [
      {
        version: 'v1',
        freshness: 'Current',
        resources: rows.map((r) => ({
          resource: r.resource,
          responseKind: { group, version: 'v1', kind: r.kind },
          scope: r.namespaced ? 'Namespaced' : 'Cluster',
          singularResource: r.singular,
          verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
        })),
      },
    ],
  };
}

const discoveryList = (items: unknown[]): string =>
  JSON.stringify({
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items,
  });

export class CaptureServer {
  readonly requests: CapturedRequest[] = [];
  #server: Server | undefined;
  #port = 0;

  async start(): Promise<void> {
    const server = createServer((req, res) => void this.#handle(req, res));
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.#port = (server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** The bodies of the write requests (POST/PUT/PATCH) received so far, oldest first. */
  writes(): CapturedRequest[] {
    return this.requests.filter((r) => r.method !== 'GET');
  }

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = req.url ?? '/';
    this.requests.push({
      method: req.method ?? 'GET',
      url,
      contentType: req.headers['content-type'] ?? '',
      body: Buffer.concat(chunks),
    });
    const path = url.split('?')[0];
    const json = (status: number, body: string, type = 'application/json'): void => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    if (path === '/version') return json(200, '{"major":"1","minor":"32","gitVersion":"v1.32.0"}');
    if (path === '/api')
      return json(200, discoveryList([discoveryGroup('', '', CORE)]), AGGREGATED_DISCOVERY);
    if (path === '/apis')
      return json(200, discoveryList([discoveryGroup('apps', 'apps', APPS)]), AGGREGATED_DISCOVERY);
    if (req.method === 'POST') {
      // kubectl only prints `<resource>/<name> created` from the reply; the name does not matter here.
      const resource = path?.split('/').pop() ?? '';
      const row = [...CORE, ...APPS].find((r) => r.resource === resource);
      const apiVersion = APPS.includes(row as ResourceRow) ? 'apps/v1' : 'v1';
      return json(
        201,
        JSON.stringify({ apiVersion, kind: row?.kind ?? 'Status', metadata: { name: 'captured' } }),
      );
    }
    json(
      404,
      JSON.stringify({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: 'NotFound',
        code: 404,
        message: 'not found',
      }),
    );
  }
}

export interface KubectlResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the stock kubectl against `serverUrl` with a private kubeconfig and cache dir. `cwd` lets
 * `--from-file` take relative paths. Resolves when kubectl exits (or is killed at the timeout).
 */
export async function runKubectl(
  serverUrl: string,
  args: readonly string[],
  cwd?: string,
): Promise<KubectlResult> {
  const dir = await mkdtemp(join(tmpdir(), 'podbay-kubectl-'));
  try {
    const kubeconfig = join(dir, 'kubeconfig');
    await writeFile(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{name: capture, cluster: {server: "' + serverUrl + '"}}]',
        'users: [{name: capture, user: {}}]',
        'contexts: [{name: capture, context: {cluster: capture, user: capture, namespace: default}}]',
        'current-context: capture',
        '',
      ].join('\n'),
    );
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, KUBECACHEDIR: join(dir, 'cache') };
    const child = spawn(KUBECTL, ['--kubeconfig', kubeconfig, ...args], { cwd: cwd ?? dir, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), KUBECTL_TIMEOUT_MS);
    const code = await new Promise<number | null>((resolve) => {
      child.on('error', () => resolve(null));
      child.on('close', (c) => resolve(c));
    });
    clearTimeout(timer);
    return { code, stdout, stderr };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
