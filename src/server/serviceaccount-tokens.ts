/**
 * ServiceAccount tokens, as kube-apiserver's TokenRequest issues them for the kubelet's projected
 * `serviceAccountToken` volumes: ES256 JWTs signed with a key kept in `<dataDir>/pki/sa.key`,
 * bound to a pod, with upstream's claims (iss, sub `system:serviceaccount:<ns>:<name>`, aud, iat,
 * nbf, exp, and `kubernetes.io` naming the namespace, pod and service account), so a program in a
 * pod authenticates to the API with the token its kubelet mounted, exactly as on a cluster.
 * podbay has no authorizer: an authenticated ServiceAccount may do what the admin may
 * (kube-apiserver's AlwaysAllow mode); RBAC objects are not enforced.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLUSTER_DOMAIN } from '../network/defaults.js';

export const SERVICE_ACCOUNT_ISSUER = `https://kubernetes.default.svc.${CLUSTER_DOMAIN}`;
/** Upstream's default audience: the API server itself (its issuer). */
export const DEFAULT_AUDIENCES = [SERVICE_ACCOUNT_ISSUER];

export interface TokenRequest {
  namespace: string;
  serviceAccountName: string;
  pod: { name: string; uid: string };
  audiences?: readonly string[];
  expirationSeconds: number;
  now?: Date;
}

export interface ServiceAccountIdentity {
  username: string;
  namespace: string;
  serviceAccountName: string;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export class ServiceAccountTokens {
  readonly #key: KeyObject;
  readonly #public: KeyObject;
  readonly #kid: string;

  private constructor(key: KeyObject) {
    this.#key = key;
    this.#public = createPublicKey(key);
    // Upstream's kid is a hash of the public key; any stable id serves verifiers.
    this.#kid = b64url(this.#public.export({ format: 'der', type: 'spki' }).subarray(-32));
  }

  /** Loads `<dataDir>/pki/sa.key`, creating it (P-256, mode 0600) on first start. */
  static load(dataDir: string): ServiceAccountTokens {
    const dir = join(dataDir, 'pki');
    const file = join(dir, 'sa.key');
    if (!existsSync(file)) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
    }
    return new ServiceAccountTokens(createPrivateKey(readFileSync(file)));
  }

  issue(r: TokenRequest): string {
    const now = Math.floor((r.now ?? new Date()).getTime() / 1000);
    const header = { alg: 'ES256', kid: this.#kid };
    const claims = {
      aud: [...(r.audiences?.length ? r.audiences : DEFAULT_AUDIENCES)],
      exp: now + r.expirationSeconds,
      iat: now,
      iss: SERVICE_ACCOUNT_ISSUER,
      'kubernetes.io': {
        namespace: r.namespace,
        pod: { name: r.pod.name, uid: r.pod.uid },
        serviceaccount: { name: r.serviceAccountName },
      },
      nbf: now,
      sub: `system:serviceaccount:${r.namespace}:${r.serviceAccountName}`,
    };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const signature = sign('sha256', Buffer.from(input), { key: this.#key, dsaEncoding: 'ieee-p1363' });
    return `${input}.${b64url(signature)}`;
  }

  /**
   * The identity a token proves, or undefined: a bad signature, another issuer, an audience that
   * is not the API's, or a token outside its validity window (60 s of clock skew allowed).
   */
  verify(token: string, now = new Date()): ServiceAccountIdentity | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [h, c, s] = parts as [string, string, string];
    try {
      const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg?: string };
      if (header.alg !== 'ES256') return undefined;
      const ok = verify(
        'sha256',
        Buffer.from(`${h}.${c}`),
        { key: this.#public, dsaEncoding: 'ieee-p1363' },
        Buffer.from(s, 'base64url'),
      );
      if (!ok) return undefined;
      const claims = JSON.parse(Buffer.from(c, 'base64url').toString()) as {
        iss?: string;
        aud?: string[];
        exp?: number;
        nbf?: number;
        sub?: string;
      };
      const t = Math.floor(now.getTime() / 1000);
      if (claims.iss !== SERVICE_ACCOUNT_ISSUER) return undefined;
      if (!claims.aud?.some((a) => DEFAULT_AUDIENCES.includes(a))) return undefined;
      if (typeof claims.exp !== 'number' || t > claims.exp + 60) return undefined;
      if (typeof claims.nbf === 'number' && t < claims.nbf - 60) return undefined;
      const m = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(claims.sub ?? '');
      if (!m) return undefined;
      return { username: claims.sub!, namespace: m[1]!, serviceAccountName: m[2]! };
    } catch {
      return undefined;
    }
  }
}
