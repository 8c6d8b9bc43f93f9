/**
 * The HTTPS listener's certificates, by server name, from the `spec.tls` of the Ingresses served:
 * each entry's Secret (in the Ingress's namespace, `tls.crt` and `tls.key`, as `kubectl create
 * secret tls` writes them) covers the entry's hosts, exact or `*.` wildcard (one label). An entry
 * without hosts makes its certificate the default one. Entries are taken in Ingress age order:
 * the first claim on a host wins. A missing or unreadable Secret is skipped and reported through
 * `problems` (the controller logs it), and the fake certificate is presented instead, as
 * ingress-nginx does.
 *
 * Rebuilt by the controller when Ingresses or Secrets change; each Secret's SecureContext is kept
 * while its resourceVersion stays the same, so a rebuild does not re-parse unchanged keys.
 */
import { createSecureContext, type SecureContext } from 'node:tls';
import type { Secret } from 'kubernetes-types/core/v1';
import type { Ingress } from 'kubernetes-types/networking/v1';
import { normalizeHost } from './routes.js';

const keyOf = (namespace: string, name: string) => `${namespace}/${name}`;

export class CertificateStore {
  #exact = new Map<string, SecureContext>();
  #wildcard = new Map<string, SecureContext>();
  #default: SecureContext | undefined;
  /** The PEM pair of the default (no SNI) certificate: a hosts-less TLS entry's, else the fallback. */
  #defaultPair: { cert: Buffer | string; key: Buffer | string };
  readonly #fallbackPair: { cert: string; key: string };
  /** secret key → [resourceVersion, context], reused across rebuilds. */
  #cache = new Map<string, [string, SecureContext]>();
  readonly #fallback: SecureContext;

  constructor(fallback: { cert: string; key: string }) {
    this.#fallback = createSecureContext(fallback);
    this.#fallbackPair = fallback;
    this.#defaultPair = fallback;
  }

  /**
   * What a client without SNI gets (the listener's own context: Node asks SNICallback only when
   * the ClientHello names a server). Changes only when rebuild picks another default.
   */
  get defaultPair(): { cert: Buffer | string; key: Buffer | string } {
    return this.#defaultPair;
  }

  /** Returns one line per TLS entry that could not be served. */
  rebuild(ingresses: readonly Ingress[], secrets: ReadonlyMap<string, Secret>): string[] {
    const problems: string[] = [];
    const exact = new Map<string, SecureContext>();
    const wildcard = new Map<string, SecureContext>();
    let def: SecureContext | undefined;
    let defPair: { cert: Buffer; key: Buffer } | undefined;
    const cache = new Map<string, [string, SecureContext]>();
    for (const ing of ingresses) {
      const namespace = ing.metadata?.namespace ?? '';
      for (const tls of ing.spec?.tls ?? []) {
        if (!tls.secretName) continue;
        const key = keyOf(namespace, tls.secretName);
        const secret = secrets.get(key);
        if (!secret) {
          problems.push(`ingress ${namespace}/${ing.metadata?.name}: secret ${key} not found`);
          continue;
        }
        const rv = secret.metadata?.resourceVersion ?? '';
        let ctx = cache.get(key)?.[1];
        if (!ctx) {
          const cached = this.#cache.get(key);
          if (cached && cached[0] === rv) ctx = cached[1];
          else {
            try {
              ctx = contextOf(secret);
            } catch (err) {
              problems.push(
                `ingress ${namespace}/${ing.metadata?.name}: secret ${key}: ${(err as Error).message}`,
              );
              continue;
            }
          }
          cache.set(key, [rv, ctx]);
        }
        const hosts = tls.hosts ?? [];
        if (hosts.length === 0 && !def) {
          def = ctx;
          defPair = pemPair(secret);
        }
        for (const raw of hosts) {
          const host = raw.toLowerCase();
          if (host.startsWith('*.')) {
            if (!wildcard.has(host.slice(2))) wildcard.set(host.slice(2), ctx);
          } else if (!exact.has(host)) exact.set(host, ctx);
        }
      }
    }
    this.#exact = exact;
    this.#wildcard = wildcard;
    this.#default = def;
    this.#defaultPair = defPair ?? this.#fallbackPair;
    this.#cache = cache;
    return problems;
  }

  /** The context for a TLS ClientHello's server name (undefined without SNI). */
  contextFor(servername: string | undefined): SecureContext {
    const host = normalizeHost(servername);
    if (host) {
      const exact = this.#exact.get(host);
      if (exact) return exact;
      const dot = host.indexOf('.');
      const wild = dot > 0 ? this.#wildcard.get(host.slice(dot + 1)) : undefined;
      if (wild) return wild;
    }
    return this.#default ?? this.#fallback;
  }
}

function pemPair(secret: Secret): { cert: Buffer; key: Buffer } {
  const data = secret.data ?? {};
  const crt = data['tls.crt'];
  const key = data['tls.key'];
  if (!crt || !key) throw new Error('has no tls.crt and tls.key');
  return { cert: Buffer.from(crt, 'base64'), key: Buffer.from(key, 'base64') };
}

const contextOf = (secret: Secret): SecureContext => createSecureContext(pemPair(secret));
