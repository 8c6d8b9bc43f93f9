/**
 * TokenRequest (authentication.k8s.io/v1), the `serviceaccounts/{name}/token` subresource, as
 * kube-apiserver's TokenREST.Create does it (pkg/registry/core/serviceaccount/storage/token.go),
 * in its order:
 *   1. metadata.name / metadata.namespace, when set, must match the URL (422 Invalid);
 *   2. the ServiceAccount must exist (404);
 *   3. defaults: audiences = the API's own, expirationSeconds = 3600 (SetDefaults_TokenRequestSpec);
 *   4. validation (ValidateTokenRequest): at least 10 minutes, at most 2^32 s (422 Invalid);
 *   5. the bound object (Pod, Secret or Node of core/v1) must exist (404), a Pod must run as this
 *      ServiceAccount (400), a given uid must match (409); a Pod's node goes into the claims too
 *      (ServiceAccountTokenPodNodeInfo);
 *   6. a pod-bound token asked for 3607 s with the API's audiences lives a year and warns after
 *      3607 s (--service-account-extend-token-expiration, on by default);
 *   7. status: the token and expirationTimestamp = request time + expirationSeconds.
 * Pure over its deps: the HTTP handler (token-subresource.ts) decodes the body and sends the answer.
 */
import type {
  BoundObjectReference,
  TokenRequest,
  TokenRequestSpec,
} from 'kubernetes-types/authentication/v1';
import type { Node, Pod, Secret, ServiceAccount } from 'kubernetes-types/core/v1';
import { ApiError, badRequest, conflict } from '../../errors.js';
import type { KubeObject } from '../../types.js';
import { type FieldError, invalid, invalidValue } from '../../validation/field.js';

export const TOKEN_REQUEST_GROUP = 'authentication.k8s.io';
export const TOKEN_REQUEST_API_VERSION = `${TOKEN_REQUEST_GROUP}/v1`;
/** SetDefaults_TokenRequestSpec: an hour. */
export const DEFAULT_EXPIRATION_SECONDS = 60 * 60;
/** ValidateTokenRequest's MinTokenAgeSec. */
export const MIN_EXPIRATION_SECONDS = 10 * 60;
const MAX_EXPIRATION_SECONDS = 2 ** 32;
/** serviceaccount.WarnOnlyBoundTokenExpirationSeconds and ExpirationExtensionSeconds. */
const WARN_ONLY_EXPIRATION_SECONDS = 60 * 60 + 7;
const EXTENDED_EXPIRATION_SECONDS = 24 * 365 * 60 * 60;

/** A bound object as the claims name it. */
export interface ObjectRef {
  name: string;
  uid: string;
}

/** What the signer needs; ServiceAccountTokens.issue (src/server) takes exactly this. */
export interface TokenClaimsRequest {
  namespace: string;
  serviceAccountName: string;
  serviceAccountUID?: string;
  pod?: ObjectRef;
  secret?: ObjectRef;
  /** The bound Node, or a bound Pod's node (uid empty when that Node is not found). */
  node?: ObjectRef;
  audiences: readonly string[];
  expirationSeconds: number;
  /** Seconds after which a still-valid token is reported stale (the 3607 s extension). */
  warnAfterSeconds?: number;
  now: Date;
}

export interface TokenIssuer {
  /** The API server's own audiences (the default when the request names none). */
  readonly apiAudiences: readonly string[];
  issue(r: TokenClaimsRequest): string;
}

export interface TokenRequestDeps {
  /** Reads an object from the API (undefined when it does not exist). */
  get(resource: string, namespace: string, name: string): KubeObject | undefined;
  issuer: TokenIssuer;
  now(): Date;
}

/** The answer: as the request, with `boundObjectRef: null` when unbound (the v1 field has no omitempty). */
export type TokenRequestAnswer = Omit<TokenRequest, 'spec'> & {
  spec: Omit<TokenRequestSpec, 'boundObjectRef'> & { boundObjectRef: BoundObjectReference | null };
};

/** Upstream's metav1.Time on the wire: RFC 3339 with whole seconds. */
const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z');

const notFoundError = (resource: string, name: string) =>
  new ApiError(404, 'NotFound', `${resource} "${name}" not found`, { name, kind: resource });

const tokenRequestInvalid = (name: string, errs: FieldError[]) =>
  invalid(TOKEN_REQUEST_GROUP, 'TokenRequest', name, errs);

/** The request body as a TokenRequest, with each malformed field named (400). */
export function parseTokenRequest(body: unknown): TokenRequest {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw badRequest('the request body must be a TokenRequest object');
  const r = body as TokenRequest;
  if (r.kind !== undefined && r.kind !== 'TokenRequest')
    throw badRequest(`kind: must be "TokenRequest", not ${JSON.stringify(r.kind)}`);
  if (r.apiVersion !== undefined && r.apiVersion !== TOKEN_REQUEST_API_VERSION) {
    throw badRequest(
      `apiVersion: must be "${TOKEN_REQUEST_API_VERSION}", not ${JSON.stringify(r.apiVersion)}`,
    );
  }
  const spec: unknown = r.spec ?? {};
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec))
    throw badRequest('spec: must be an object');
  const { audiences, expirationSeconds, boundObjectRef } = spec as TokenRequest['spec'];
  if (audiences != null && (!Array.isArray(audiences) || audiences.some((a) => typeof a !== 'string')))
    throw badRequest('spec.audiences: must be a list of strings');
  if (expirationSeconds != null && !Number.isSafeInteger(expirationSeconds))
    throw badRequest(`spec.expirationSeconds: must be an integer, not ${JSON.stringify(expirationSeconds)}`);
  if (boundObjectRef != null) {
    if (typeof boundObjectRef !== 'object' || Array.isArray(boundObjectRef))
      throw badRequest('spec.boundObjectRef: must be an object');
    for (const f of ['kind', 'apiVersion', 'name', 'uid'] as const) {
      const v = boundObjectRef[f];
      if (v != null && typeof v !== 'string') throw badRequest(`spec.boundObjectRef.${f}: must be a string`);
    }
  }
  return r;
}

/** Go's schema.GroupVersionKind.String(): `group/version, Kind=kind` (core group empty). */
function gvkOf(apiVersion: string, kind: string) {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  return { group, kind, text: `${group}/${version}, Kind=${kind}` };
}

interface Bound {
  pod?: ObjectRef;
  secret?: ObjectRef;
  node?: ObjectRef;
}

/** Step 5: the bound object, checked as upstream checks it. */
function resolveBoundObject(
  deps: TokenRequestDeps,
  namespace: string,
  serviceAccountName: string,
  ref: NonNullable<TokenRequest['spec']['boundObjectRef']>,
): Bound {
  const name = ref.name ?? '';
  const gvk = gvkOf(ref.apiVersion ?? '', ref.kind ?? '');
  const must = <T>(resource: string, ns: string) => {
    const o = deps.get(resource, ns, name);
    if (!o) throw notFoundError(resource, name);
    return o as T;
  };
  let bound: Bound;
  let uid: string;
  if (gvk.group === '' && gvk.kind === 'Pod') {
    const pod = must<Pod>('pods', namespace);
    if (pod.spec?.serviceAccountName !== serviceAccountName) {
      throw badRequest(
        `cannot bind token for serviceaccount ${JSON.stringify(serviceAccountName)} to pod running with different serviceaccount name.`,
      );
    }
    uid = pod.metadata?.uid ?? '';
    bound = { pod: { name, uid } };
    const nodeName = pod.spec?.nodeName;
    if (nodeName) {
      // A Node that is gone still leaves its name in the claims, without a uid (as upstream).
      const node = deps.get('nodes', '', nodeName) as Node | undefined;
      bound.node = { name: nodeName, uid: node?.metadata?.uid ?? '' };
    }
  } else if (gvk.group === '' && gvk.kind === 'Node') {
    uid = must<Node>('nodes', '').metadata?.uid ?? '';
    bound = { node: { name, uid } };
  } else if (gvk.group === '' && gvk.kind === 'Secret') {
    uid = must<Secret>('secrets', namespace).metadata?.uid ?? '';
    bound = { secret: { name, uid } };
  } else {
    throw badRequest(`cannot bind token to object of type ${gvk.text}`);
  }
  if (ref.uid && ref.uid !== uid) {
    throw conflict(
      { group: gvk.group, resource: gvk.kind },
      name,
      `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
    );
  }
  return bound;
}

/** Handles one TokenRequest for serviceaccounts/{name} in `namespace`; returns the answered object. */
export function createToken(
  deps: TokenRequestDeps,
  namespace: string,
  name: string,
  request: TokenRequest,
): TokenRequestAnswer {
  const meta = request.metadata ?? {};
  if (meta.name && meta.name !== name) {
    throw tokenRequestInvalid(name, [
      invalidValue('metadata.name', meta.name, 'must match the service account name if specified'),
    ]);
  }
  if (meta.namespace && meta.namespace !== namespace) {
    throw tokenRequestInvalid(name, [
      invalidValue(
        'metadata.namespace',
        meta.namespace,
        'must match the service account namespace if specified',
      ),
    ]);
  }
  const sa = deps.get('serviceaccounts', namespace, name) as ServiceAccount | undefined;
  if (!sa) throw notFoundError('serviceaccounts', name);

  const spec = request.spec ?? {};
  const audiences = spec.audiences?.length ? [...spec.audiences] : [...deps.issuer.apiAudiences];
  const expirationSeconds = spec.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
  const now = deps.now();
  const errs: FieldError[] = [];
  if (expirationSeconds < MIN_EXPIRATION_SECONDS) {
    errs.push(
      invalidValue(
        'spec.expirationSeconds',
        expirationSeconds,
        'may not specify a duration less than 10 minutes',
      ),
    );
  }
  if (expirationSeconds > MAX_EXPIRATION_SECONDS) {
    errs.push(
      invalidValue(
        'spec.expirationSeconds',
        expirationSeconds,
        'may not specify a duration larger than 2^32 seconds',
      ),
    );
  }
  if (errs.length) throw tokenRequestInvalid('', errs);

  const ref = spec.boundObjectRef ?? undefined;
  const bound = ref ? resolveBoundObject(deps, namespace, name, ref) : {};
  const extend =
    bound.pod !== undefined &&
    expirationSeconds === WARN_ONLY_EXPIRATION_SECONDS &&
    audiences.every((a) => deps.issuer.apiAudiences.includes(a));
  const token = deps.issuer.issue({
    namespace,
    serviceAccountName: name,
    ...(sa.metadata?.uid && { serviceAccountUID: sa.metadata.uid }),
    ...bound,
    audiences,
    expirationSeconds: extend ? EXTENDED_EXPIRATION_SECONDS : expirationSeconds,
    ...(extend && { warnAfterSeconds: expirationSeconds }),
    now,
  });
  return {
    kind: 'TokenRequest',
    apiVersion: TOKEN_REQUEST_API_VERSION,
    metadata: { name, namespace, creationTimestamp: rfc3339(now) },
    spec: { audiences, expirationSeconds, boundObjectRef: ref ?? null },
    status: { token, expirationTimestamp: rfc3339(new Date(now.getTime() + expirationSeconds * 1000)) },
  };
}
