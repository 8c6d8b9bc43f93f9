/**
 * ServiceAccount tokens, as kube-apiserver's TokenRequest issues them — for the kubelet's projected
 * `serviceAccountToken` volumes and for `kubectl create token` (serviceaccounts/{name}/token,
 * api/registry/serviceaccounts/token-request.ts): ES256 JWTs signed with a key kept in
 * `<dataDir>/pki/sa.key`, with upstream's claims (iss, sub `system:serviceaccount:<ns>:<name>`,
 * aud, iat, nbf, exp, jti, and `kubernetes.io` naming the namespace, the service account and the
 * bound pod, secret or node), so a program in a pod authenticates to the API with the token its
 * kubelet mounted, exactly as on a cluster, and a token dies with the object it is bound to.
 * What a token proves becomes the request's user (api/auth/user.ts serviceAccountUser); podbay's
 * authorizer is AlwaysAllow (api/auth/authorizer.ts): a ServiceAccount may do what the admin may.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomUUID,
  sign,
  verify,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceAccountInfo } from '../api/auth/user.js';
import { CLUSTER_DOMAIN } from '../network/defaults.js';

export const SERVICE_ACCOUNT_ISSUER = `https://kubernetes.default.svc.${CLUSTER_DOMAIN}`;
/** Upstream's default audience: the API server itself (its issuer). */
export const DEFAULT_AUDIENCES = [SERVICE_ACCOUNT_ISSUER];

/** A named object in the claims (`kubernetes.io.pod`, `.secret`, `.node`, `.serviceaccount`). */
export interface ClaimRef {
  name: string;
  uid: string;
}

/**
 * What a token says (pkg/serviceaccount/claims.go Claims): the ServiceAccount, at most one bound
 * Pod or Secret (or a Node alone), plus a Pod's node. Callers: the kubelet's projected volumes
 * (node-agent.ts) and the TokenRequest subresource (api/registry/serviceaccounts/token-request.ts).
 */
export interface IssueRequest {
  namespace: string;
  serviceAccountName: string;
  /** Checked on use when present (upstream always sets it; the kubelet's own tokens may not). */
  serviceAccountUID?: string;
  pod?: ClaimRef;
  secret?: ClaimRef;
  node?: ClaimRef;
  audiences?: readonly string[];
  expirationSeconds: number;
  /** `kubernetes.io.warnafter`: the 3607 s pod token extended to a year warns after this many seconds. */
  warnAfterSeconds?: number;
  now?: Date;
}

/**
 * Reads an object for token validation (the registry's stored copy, not a clone: this runs on
 * every request a ServiceAccount token authenticates).
 */
export type BoundObjectLookup = (
  resource: 'serviceaccounts' | 'pods' | 'secrets' | 'nodes',
  namespace: string,
  name: string,
) => { metadata?: { uid?: string; deletionTimestamp?: string } } | undefined;

/** jwt.DefaultLeeway: objects deleted less than this long ago still validate (and clock skew). */
const LEEWAY_SECONDS = 60;

interface Claims {
  jti?: string;
  iss?: string;
  aud?: string[];
  exp?: number;
  nbf?: number;
  sub?: string;
  'kubernetes.io'?: {
    namespace?: string;
    serviceaccount?: Partial<ClaimRef>;
    pod?: Partial<ClaimRef>;
    secret?: Partial<ClaimRef>;
    node?: Partial<ClaimRef>;
  };
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

  /** The API server's own audiences: tokens for other audiences do not authenticate here. */
  get apiAudiences(): readonly string[] {
    return DEFAULT_AUDIENCES;
  }

  issue(r: IssueRequest): string {
    const now = Math.floor((r.now ?? new Date()).getTime() / 1000);
    const header = { alg: 'ES256', kid: this.#kid };
    const ref = (o: ClaimRef) => ({ name: o.name, ...(o.uid && { uid: o.uid }) });
    const claims = {
      aud: [...(r.audiences?.length ? r.audiences : DEFAULT_AUDIENCES)],
      exp: now + r.expirationSeconds,
      iat: now,
      iss: SERVICE_ACCOUNT_ISSUER,
      jti: randomUUID(),
      'kubernetes.io': {
        namespace: r.namespace,
        ...(r.node && { node: ref(r.node) }),
        ...(r.pod && { pod: ref(r.pod) }),
        ...(r.secret && { secret: ref(r.secret) }),
        serviceaccount: ref({ name: r.serviceAccountName, uid: r.serviceAccountUID ?? '' }),
        ...(r.warnAfterSeconds !== undefined && { warnafter: now + r.warnAfterSeconds }),
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
   * is not the API's, or a token outside its validity window (60 s of clock skew allowed). With
   * `objects`, also what upstream's validator checks (claims.go Validate): the ServiceAccount and
   * the bound Pod, Secret or Node still exist with the uid in the claims, and were not deleted
   * more than a minute ago.
   */
  verify(token: string, now = new Date(), objects?: BoundObjectLookup): ServiceAccountInfo | undefined {
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
      const claims = JSON.parse(Buffer.from(c, 'base64url').toString()) as Claims;
      const t = Math.floor(now.getTime() / 1000);
      if (claims.iss !== SERVICE_ACCOUNT_ISSUER) return undefined;
      if (!claims.aud?.some((a) => DEFAULT_AUDIENCES.includes(a))) return undefined;
      if (typeof claims.exp !== 'number' || t > claims.exp + 60) return undefined;
      if (typeof claims.nbf === 'number' && t < claims.nbf - 60) return undefined;
      const m = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(claims.sub ?? '');
      if (!m) return undefined;
      if (objects && !bindingsHold(claims, m[1]!, m[2]!, t, objects)) return undefined;
      const k = claims['kubernetes.io'] ?? {};
      return {
        namespace: m[1]!,
        name: m[2]!,
        ...(k.serviceaccount?.uid && { uid: k.serviceaccount.uid }),
        ...(k.pod?.name && { podName: k.pod.name }),
        ...(k.pod?.uid && { podUID: k.pod.uid }),
        ...(k.node?.name && { nodeName: k.node.name }),
        ...(k.node?.uid && { nodeUID: k.node.uid }),
        ...(claims.jti && { tokenID: claims.jti }),
      };
    } catch {
      return undefined;
    }
  }
}

/** Whether the objects a token names still exist as they were when it was issued. */
function bindingsHold(
  claims: Claims,
  namespace: string,
  serviceAccountName: string,
  nowSeconds: number,
  objects: BoundObjectLookup,
): boolean {
  const k = claims['kubernetes.io'] ?? {};
  const holds = (resource: Parameters<BoundObjectLookup>[0], ns: string, ref: Partial<ClaimRef>) => {
    const o = objects(resource, ns, ref.name ?? '');
    if (!o) return false;
    const deleted = o.metadata?.deletionTimestamp;
    if (deleted && Date.parse(deleted) / 1000 < nowSeconds - LEEWAY_SECONDS) return false;
    return !ref.uid || ref.uid === o.metadata?.uid;
  };
  if (
    !holds('serviceaccounts', namespace, {
      name: serviceAccountName,
      ...(k.serviceaccount?.uid && { uid: k.serviceaccount.uid }),
    })
  )
    return false;
  if (k.secret && !holds('secrets', namespace, k.secret)) return false;
  if (k.pod && !holds('pods', namespace, k.pod)) return false;
  // A Pod's node is informational; a token bound to a Node alone lives as long as that Node.
  if (k.node && !k.pod && !holds('nodes', '', k.node)) return false;
  return true;
}
