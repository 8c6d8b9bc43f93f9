/**
 * The server's PKI, made on first start and kept in the data dir: a CA, a serving certificate
 * signed by it (SANs: loopback, localhost, this host's name, and the names pods use for the API:
 * the `kubernetes` Service's IP and DNS names and the bridge gateway), and the admin bearer token.
 * A certificate from an older start that lacks one of these names is made again (with a new CA).
 * Private files are written 0600 in a 0700 directory, as kubeadm does for /etc/kubernetes/pki.
 */
import { randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { type AddressPlan, addressPlan } from '../network/address-plan.js';
import { CLUSTER_DOMAIN } from '../network/defaults.js';

export interface Pki {
  caCert: string;
  cert: string;
  key: string;
  token: string;
}

/** Loads the PKI from `dir/pki`, creating what is missing. The CA key is not kept: nothing else is ever signed. */
export async function loadOrCreatePki(
  dir: string,
  extraNames: string[] = [],
  plan: AddressPlan = addressPlan(),
): Promise<Pki> {
  const pki = join(dir, 'pki');
  mkdirSync(pki, { recursive: true, mode: 0o700 });
  const files = {
    ca: join(pki, 'ca.crt'),
    cert: join(pki, 'apiserver.crt'),
    key: join(pki, 'apiserver.key'),
    token: join(pki, 'admin.token'),
  };
  const names = [
    ...new Set(['localhost', '127.0.0.1', '::1', hostname(), ...inClusterNames(plan), ...extraNames]),
  ];
  if (
    !existsSync(files.ca) ||
    !existsSync(files.cert) ||
    !existsSync(files.key) ||
    !coversNames(readFileSync(files.cert, 'utf8'), names)
  ) {
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

/** How pods name the API: the `kubernetes` Service (IP and DNS names) and the gateway it DNATs to. */
const inClusterNames = (plan: AddressPlan) => [
  plan.kubernetesServiceIP,
  plan.gatewayIP,
  'kubernetes',
  'kubernetes.default',
  'kubernetes.default.svc',
  `kubernetes.default.svc.${CLUSTER_DOMAIN}`,
];

/** Whether the certificate's SANs include every name (`DNS:x` or `IP Address:x`). */
function coversNames(pem: string, names: readonly string[]): boolean {
  let san: string;
  try {
    san = new X509Certificate(pem).subjectAltName ?? '';
  } catch {
    return false;
  }
  const have = new Set(san.split(', ').map((e) => canonical(e.slice(e.indexOf(':') + 1))));
  return names.every((n) => have.has(canonical(n)));
}

/** Node prints IPv6 SANs uncompressed (0:0:0:0:0:0:0:1): compare in the compressed form. */
const canonical = (name: string): string =>
  isIPv6(name) ? new URL(`http://[${name}]`).hostname.slice(1, -1) : name;
