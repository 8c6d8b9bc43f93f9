/**
 * The server's PKI, made on first start and kept in the data dir: a CA, a serving certificate
 * signed by it (SANs: loopback, localhost and this host's name), and the admin bearer token.
 * Private files are written 0600 in a 0700 directory, as kubeadm does for /etc/kubernetes/pki.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export interface Pki {
  caCert: string;
  cert: string;
  key: string;
  token: string;
}

/** Loads the PKI from `dir/pki`, creating what is missing. The CA key is not kept: nothing else is ever signed. */
export async function loadOrCreatePki(dir: string, extraNames: string[] = []): Promise<Pki> {
  const pki = join(dir, 'pki');
  mkdirSync(pki, { recursive: true, mode: 0o700 });
  const files = {
    ca: join(pki, 'ca.crt'),
    cert: join(pki, 'apiserver.crt'),
    key: join(pki, 'apiserver.key'),
    token: join(pki, 'admin.token'),
  };
  if (!existsSync(files.ca) || !existsSync(files.cert) || !existsSync(files.key)) {
    const names = [...new Set(['localhost', '127.0.0.1', '::1', hostname(), ...extraNames])];
    const { generate } = await import('./pki-generate.js');
    const g = await generate(names);
    writeFileSync(files.ca, g.caCert, { mode: 0o644 });
    writeFileSync(files.cert, g.cert, { mode: 0o644 });
    writeFileSync(files.key, g.key, { mode: 0o600 });
  }
  if (!existsSync(files.token))
    writeFileSync(files.token, randomBytes(32).toString('base64url'), { mode: 0o600 });
  return {
    caCert: readFileSync(files.ca, 'utf8'),
    cert: readFileSync(files.cert, 'utf8'),
    key: readFileSync(files.key, 'utf8'),
    token: readFileSync(files.token, 'utf8').trim(),
  };
}
