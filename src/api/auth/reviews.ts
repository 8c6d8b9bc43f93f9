/**
 * The review APIs: create-only kinds whose answer is computed, never stored.
 *  - authentication.k8s.io/v1 SelfSubjectReview (`kubectl auth whoami`): the requesting user
 *    (pkg/registry/authentication/selfsubjectreview/rest.go);
 *  - authorization.k8s.io/v1 SelfSubjectAccessReview (`kubectl auth can-i`), SubjectAccessReview,
 *    LocalSubjectAccessReview: the authorizer's decision for the attributes in the spec
 *    (pkg/registry/authorization/*subjectaccessreview/rest.go), validated as
 *    pkg/apis/authorization/validation;
 *  - SelfSubjectRulesReview (`kubectl auth can-i --list`): the authorizer's rules in a namespace.
 * Each answers 201 with the object sent, its status filled in, as kube-apiserver does.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, badRequest, methodNotAllowed } from '../errors.js';
import { readObject } from '../http/read-object.js';
import type { ResourceRequest } from '../http/request-info.js';
import { sendJSON } from '../http/respond.js';
import { parseWriteOptions } from '../http/write-options.js';
import { setTypeMeta } from '../registry/type-meta.js';
import { nowRFC3339 } from '../registry/util.js';
import type { KubeObject, ResourceInfo } from '../types.js';
import { type FieldError, invalid, invalidValue } from '../validation/field.js';
import type { Attributes, Authorizer } from './authorizer.js';
import type { UserInfo } from './user.js';

const AUTHN = 'authentication.k8s.io';
const AUTHZ = 'authorization.k8s.io';

const review = (group: string, resource: string, kind: string, namespaced = false): ResourceInfo => ({
  group,
  version: 'v1',
  resource,
  singular: '',
  kind,
  listKind: '',
  namespaced,
  shortNames: [],
  categories: [],
  verbs: ['create'],
});

/** What discovery lists for the review APIs (kube-apiserver serves them in every configuration). */
export const REVIEW_RESOURCES: readonly ResourceInfo[] = [
  review(AUTHN, 'selfsubjectreviews', 'SelfSubjectReview'),
  review(AUTHZ, 'localsubjectaccessreviews', 'LocalSubjectAccessReview', true),
  review(AUTHZ, 'selfsubjectaccessreviews', 'SelfSubjectAccessReview'),
  review(AUTHZ, 'selfsubjectrulesreviews', 'SelfSubjectRulesReview'),
  review(AUTHZ, 'subjectaccessreviews', 'SubjectAccessReview'),
];

export function reviewResource(r: ResourceRequest): ResourceInfo | undefined {
  return REVIEW_RESOURCES.find(
    (x) => x.group === r.group && x.version === r.version && x.resource === r.resource,
  );
}

interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}
interface NonResourceAttributes {
  path?: string;
  verb?: string;
}
interface AccessReviewSpec {
  resourceAttributes?: ResourceAttributes | null;
  nonResourceAttributes?: NonResourceAttributes | null;
  user?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
  uid?: string;
}
interface ReviewObject extends KubeObject {
  spec?: AccessReviewSpec & { namespace?: string };
}

export interface ReviewDeps {
  authorizer: Authorizer;
  now: () => Date;
}

/** Serves a request for one of REVIEW_RESOURCES on behalf of `user`. */
export async function handleReview(
  deps: ReviewDeps,
  info: ResourceInfo,
  r: ResourceRequest,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  user: UserInfo,
): Promise<void> {
  if (r.name || r.subresource || req.method !== 'POST' || (info.namespaced && !r.namespace)) {
    if (req.method === 'POST' || r.name || r.subresource)
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    throw methodNotAllowed(`the server does not allow this method on the requested resource`);
  }
  const options = parseWriteOptions(url.searchParams, 'Create');
  const o = (await readObject(req, res, info, options.fieldValidation)) as ReviewObject;
  setTypeMeta(info, o);
  o.metadata ??= {};
  o.spec ??= {};
  const answer = answerReview(deps, info, r, o, user);
  sendJSON(res, 201, answer);
}

/** The object with its status: exported for unit tests that need no HTTP. */
export function answerReview(
  deps: ReviewDeps,
  info: ResourceInfo,
  r: Pick<ResourceRequest, 'namespace'>,
  o: ReviewObject,
  user: UserInfo,
): KubeObject {
  const spec = o.spec ?? {};
  switch (info.kind) {
    case 'SelfSubjectReview':
      // Upstream builds a fresh object: only the user and a creation time.
      return {
        apiVersion: o.apiVersion,
        kind: o.kind,
        metadata: { creationTimestamp: nowRFC3339(deps.now()) },
        status: {
          userInfo: {
            username: user.username,
            ...(user.uid && { uid: user.uid }),
            ...(user.groups.length > 0 && { groups: [...user.groups] }),
            ...(user.extra && Object.keys(user.extra).length > 0 && { extra: user.extra }),
          },
        },
      };
    case 'SelfSubjectRulesReview': {
      // ValidateSelfSubjectRulesReview checks nothing; the REST needs a namespace.
      if (!spec.namespace) throw badRequest('no namespace on request');
      const rules = deps.authorizer.rulesFor(user, spec.namespace);
      return withStatus(o, {
        resourceRules: rules.resourceRules,
        nonResourceRules: rules.nonResourceRules,
        incomplete: rules.incomplete,
        ...(rules.evaluationError && { evaluationError: rules.evaluationError }),
      });
    }
    case 'SelfSubjectAccessReview': {
      const errs = [...accessSpecErrors(spec, false), ...metaErrors(o, 'must be empty', [])];
      if (errs.length) throw invalid(AUTHZ, info.kind, '', errs);
      return decide(deps, o, attributesFrom(user, spec));
    }
    case 'SubjectAccessReview':
    case 'LocalSubjectAccessReview': {
      const local = info.kind === 'LocalSubjectAccessReview';
      if (local) {
        if (o.metadata.namespace && o.metadata.namespace !== r.namespace) {
          throw badRequest(
            `the namespace of the provided object does not match the namespace sent on the request`,
          );
        }
        o.metadata.namespace = r.namespace;
      }
      const errs = [
        ...accessSpecErrors(spec, true),
        ...metaErrors(
          o,
          local ? 'must be empty except for namespace' : 'must be empty',
          local ? ['namespace'] : [],
        ),
      ];
      if (local && spec.resourceAttributes && (spec.resourceAttributes.namespace ?? '') !== r.namespace) {
        errs.push(
          invalidValue(
            'spec.resourceAttributes.namespace',
            spec.resourceAttributes.namespace ?? '',
            'must match metadata.namespace',
          ),
        );
      }
      if (local && spec.nonResourceAttributes) {
        errs.push(
          invalidValue(
            'spec.nonResourceAttributes',
            spec.nonResourceAttributes,
            'disallowed on this kind of request',
          ),
        );
      }
      if (errs.length) throw invalid(AUTHZ, info.kind, '', errs);
      const subject: UserInfo = {
        username: spec.user ?? '',
        groups: spec.groups ?? [],
        ...(spec.uid && { uid: spec.uid }),
        ...(spec.extra && { extra: spec.extra }),
      };
      return decide(deps, o, attributesFrom(subject, spec));
    }
    default:
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  }
}

/** ValidateSubjectAccessReviewSpec / ValidateSelfSubjectAccessReviewSpec. */
function accessSpecErrors(spec: AccessReviewSpec, needsSubject: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.resourceAttributes && spec.nonResourceAttributes) {
    errs.push(
      invalidValue(
        'spec.nonResourceAttributes',
        spec.nonResourceAttributes,
        'cannot be specified in combination with resourceAttributes',
      ),
    );
  }
  if (!spec.resourceAttributes && !spec.nonResourceAttributes) {
    errs.push(
      invalidValue(
        'spec.resourceAttributes',
        spec.nonResourceAttributes ?? null,
        'exactly one of nonResourceAttributes or resourceAttributes must be specified',
      ),
    );
  }
  if (needsSubject && !spec.user && !(spec.groups && spec.groups.length > 0)) {
    errs.push(invalidValue('spec.user', spec.user ?? '', 'at least one of user or group must be specified'));
  }
  return errs;
}

/** Review objects carry no metadata (managedFields aside): upstream compares with an empty ObjectMeta. */
function metaErrors(o: KubeObject, detail: string, allowed: readonly string[]): FieldError[] {
  const extra = Object.entries(o.metadata ?? {}).filter(
    ([k, v]) =>
      k !== 'managedFields' &&
      !allowed.includes(k) &&
      v !== undefined &&
      v !== null &&
      v !== '' &&
      !(typeof v === 'object' && Object.keys(v).length === 0),
  );
  return extra.length > 0 ? [invalidValue('metadata', o.metadata, detail)] : [];
}

/** authorizationutil.ResourceAttributesFrom / NonResourceAttributesFrom. */
function attributesFrom(user: UserInfo, spec: AccessReviewSpec): Attributes {
  const ra = spec.resourceAttributes;
  if (ra) {
    return {
      user,
      verb: ra.verb ?? '',
      resourceRequest: true,
      namespace: ra.namespace ?? '',
      apiGroup: ra.group ?? '',
      apiVersion: ra.version ?? '',
      resource: ra.resource ?? '',
      subresource: ra.subresource ?? '',
      name: ra.name ?? '',
    };
  }
  const nra = spec.nonResourceAttributes ?? {};
  return { user, verb: nra.verb ?? '', resourceRequest: false, path: nra.path ?? '' };
}

function decide(deps: ReviewDeps, o: ReviewObject, a: Attributes): KubeObject {
  const { decision, reason } = deps.authorizer.authorize(a);
  return withStatus(o, {
    allowed: decision === 'Allow',
    ...(decision === 'Deny' && { denied: true }),
    ...(reason && { reason }),
  });
}

/** The object as sent with its status; metadata as upstream echoes an empty ObjectMeta. */
function withStatus(o: ReviewObject, status: Record<string, unknown>): KubeObject {
  return { ...o, metadata: { ...o.metadata, creationTimestamp: null }, status } as unknown as KubeObject;
}
