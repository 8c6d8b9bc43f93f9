/**
 * A minimal client for podbay's own API, used by `up`, `status` and `down` to read what they
 * report (pods, nodes, events, readiness). It trusts only the CA in the data dir's kubeconfig and
 * authenticates with its bearer token, exactly as kubectl does with that file.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import YAML from 'yaml';

export class ApiClientError extends Error {
  readonly code = 'PODBAY_API_CLIENT';
}

export interface ApiConnection {
  url: string;
  ca: Buffer;
  token: string;
}

/** Reads server URL, CA and token from a kubeconfig written by `podbay server`. */
export function connectionFromKubeconfig(path: string): ApiConnection {
  const kc = YAML.parse(readFileSync(path, 'utf8')) as {
    clusters?: { cluster?: { server?: string; 'certificate-authority-data'?: string } }[];
    users?: { user?: { token?: string } }[];
  };
  const cluster = kc.clusters?.[0]?.cluster;
  const token = kc.users?.[0]?.user?.token;
  if (!cluster?.server || !cluster['certificate-authority-data'] || !token) {
    throw new ApiClientError(`${path}: no server, certificate-authority-data or token`);
  }
  return { url: cluster.server, ca: Buffer.from(cluster['certificate-authority-data'], 'base64'), token };
}

export interface ApiResponse {
  status: number;
  body: string;
}

/** One GET; rejects only on a transport error or the timeout, never on an HTTP status. */
export function apiGet(
  conn: ApiConnection,
  path: string,
  headers: Record<string, string> = {},
  timeoutMs = 5000,
): Promise<ApiResponse> {
  const u = new URL(path, conn.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: `${u.pathname}${u.search}`,
        method: 'GET',
        ca: conn.ca,
        timeout: timeoutMs,
        headers: { Authorization: `Bearer ${conn.token}`, Accept: 'application/json', ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new ApiClientError(`GET ${path}: no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** GET that must answer 200 with JSON. */
export async function apiGetJson<T>(conn: ApiConnection, path: string): Promise<T> {
  const res = await apiGet(conn, path);
  if (res.status !== 200)
    throw new ApiClientError(`GET ${path}: HTTP ${res.status}: ${res.body.slice(0, 300)}`);
  return JSON.parse(res.body) as T;
}

/** A server-side Table (kubectl's columns, computed by the server) of a list path. */
export interface ApiTable {
  columnDefinitions: { name: string }[];
  rows: { cells: unknown[]; object: { metadata?: { name?: string; namespace?: string } } }[];
}

export async function apiGetTable(conn: ApiConnection, path: string): Promise<ApiTable> {
  const res = await apiGet(conn, path, {
    Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
  });
  if (res.status !== 200) throw new ApiClientError(`GET ${path} as Table: HTTP ${res.status}`);
  return JSON.parse(res.body) as ApiTable;
}
