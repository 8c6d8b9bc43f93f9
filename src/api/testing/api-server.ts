/**
 * An ApiServer on a free loopback port over an in-memory test registry, with real TLS (a PKI in a temp
 * dir), for tests that speak to the API at the wire. `close()` stops it and removes what it made.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreatePki } from '../../server/pki.js';
import { CustomResourceServing } from '../apiextensions/serving.js';
import { ApiServer, type ApiServerOptions } from '../server.js';
import { openTestRegistry, type TestRegistry } from './registry.js';

export interface TestApiServer {
  readonly api: ApiServer;
  readonly registry: TestRegistry;
  readonly port: number;
  /** The admin bearer token. */
  readonly token: string;
  /** The CA certificate (PEM) the serving certificate chains to. */
  readonly ca: string;
  close(): Promise<void>;
}

/** Options beyond what the helper provides (registry, address, TLS, token, clock, log). */
export type TestApiServerOptions = Partial<
  Omit<ApiServerOptions, 'registry' | 'host' | 'port' | 'tls' | 'token'>
>;

export async function startTestApiServer(o: TestApiServerOptions = {}): Promise<TestApiServer> {
  const dir = mkdtempSync(join(tmpdir(), 'podbay-api-test-'));
  const registry = openTestRegistry();
  const pki = await loadOrCreatePki(dir, ['127.0.0.1']);
  const api = new ApiServer({
    registry: registry.registry,
    host: '127.0.0.1',
    port: 0,
    tls: { key: pki.key, cert: pki.cert },
    token: pki.token,
    clock: { now: () => new Date() },
    log: () => {},
    ...o,
  });
  const customResources = new CustomResourceServing({
    registry: registry.registry,
    clock: { now: () => new Date() },
  });
  customResources.start();
  const { port } = await api.listen();
  return {
    api,
    registry,
    port,
    token: pki.token,
    ca: pki.caCert,
    async close() {
      customResources.stop();
      await api.close();
      registry.store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
