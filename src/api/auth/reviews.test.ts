import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError } from '../errors.js';
import type { KubeObject } from '../types.js';
import { type Authorizer, alwaysAllow } from './authorizer.js';
import { answerReview, REVIEW_RESOURCES } from './reviews.js';
import { ADMIN_USER, serviceAccountUser, type UserInfo } from './user.js';

const NOW = new Date('2026-11-25T12:00:00.123Z');
const info = (kind: string) => REVIEW_RESOURCES.find((r) => r.kind === kind)!;
const ask = (
  kind: string,
  body: object,
  o: { user?: UserInfo; authorizer?: Authorizer; namespace?: string } = {},
) =>
  answerReview(
    { authorizer: o.authorizer ?? alwaysAllow, now: () => NOW },
    info(kind),
    { namespace: o.namespace ?? '' },
    { apiVersion: `${info(kind).group}/v1`, kind, metadata: {}, ...body } as KubeObject,
    o.user ?? ADMIN_USER,
  ) as KubeObject & { status: Record<string, unknown>; spec?: unknown };
const invalidMessage = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ApiError);
    return `${e.code} ${e.message}`;
  }
  throw new Error('did not throw');
};

describe('review APIs', () => {
  test('SelfSubjectReview: the user, a creation time, nothing else', () => {
    const sa = serviceAccountUser({
      namespace: 'ns1',
      name: 'robot',
      uid: 'u1',
      podName: 'p',
      podUID: 'pu',
      tokenID: 'j1',
    });
    const r = ask('SelfSubjectReview', { spec: { ignored: true } }, { user: sa });
    assert.deepEqual(r, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'SelfSubjectReview',
      metadata: { creationTimestamp: '2026-11-25T12:00:00Z' },
      status: {
        userInfo: {
          username: 'system:serviceaccount:ns1:robot',
          uid: 'u1',
          groups: ['system:serviceaccounts', 'system:serviceaccounts:ns1', 'system:authenticated'],
          extra: {
            'authentication.kubernetes.io/pod-name': ['p'],
            'authentication.kubernetes.io/pod-uid': ['pu'],
            'authentication.kubernetes.io/credential-id': ['JTI=j1'],
          },
        },
      },
    });
  });

  test('access reviews echo the spec and carry the decision (Allow, Deny with a reason, NoOpinion)', () => {
    const spec = { resourceAttributes: { verb: 'get', resource: 'pods', namespace: 'a' } };
    assert.deepEqual(ask('SelfSubjectAccessReview', { spec }).status, { allowed: true });
    assert.deepEqual(ask('SelfSubjectAccessReview', { spec }).spec, spec);
    let seen: unknown;
    const deny: Authorizer = {
      ...alwaysAllow,
      authorize: (a) => {
        seen = a;
        return { decision: 'Deny', reason: 'not on Tuesdays' };
      },
    };
    const sar = ask(
      'SubjectAccessReview',
      { spec: { ...spec, user: 'jane', groups: ['dev'] } },
      { authorizer: deny },
    );
    assert.deepEqual(sar.status, { allowed: false, denied: true, reason: 'not on Tuesdays' });
    assert.deepEqual(seen, {
      user: { username: 'jane', groups: ['dev'] },
      verb: 'get',
      resourceRequest: true,
      namespace: 'a',
      apiGroup: '',
      apiVersion: '',
      resource: 'pods',
      subresource: '',
      name: '',
    });
    const none: Authorizer = { ...alwaysAllow, authorize: () => ({ decision: 'NoOpinion', reason: '' }) };
    const nonResource = { nonResourceAttributes: { verb: 'get', path: '/healthz' } };
    assert.deepEqual(ask('SelfSubjectAccessReview', { spec: nonResource }, { authorizer: none }).status, {
      allowed: false,
    });
  });

  test('validation as pkg/apis/authorization/validation', () => {
    const ra = { verb: 'get', resource: 'pods' };
    assert.equal(
      invalidMessage(() => ask('SelfSubjectAccessReview', { spec: {} })),
      '422 SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified',
    );
    assert.match(
      invalidMessage(() =>
        ask('SelfSubjectAccessReview', {
          spec: { resourceAttributes: ra, nonResourceAttributes: { path: '/' } },
        }),
      ),
      /spec\.nonResourceAttributes: Invalid value: .*: cannot be specified in combination with resourceAttributes/,
    );
    assert.match(
      invalidMessage(() =>
        ask('SelfSubjectAccessReview', { metadata: { name: 'x' }, spec: { resourceAttributes: ra } }),
      ),
      /metadata: Invalid value: .*: must be empty/,
    );
    assert.match(
      invalidMessage(() => ask('SubjectAccessReview', { spec: { resourceAttributes: ra } })),
      /spec\.user: Invalid value: "": at least one of user or group must be specified/,
    );
    const local = (spec: object, metadata: object = {}) =>
      ask(
        'LocalSubjectAccessReview',
        { metadata, spec: { user: 'jane', ...spec } },
        { namespace: 'default' },
      );
    assert.deepEqual(local({ resourceAttributes: { ...ra, namespace: 'default' } }).status, {
      allowed: true,
    });
    assert.equal(
      local({ resourceAttributes: { ...ra, namespace: 'default' } }).metadata.namespace,
      'default',
      'the request namespace fills metadata.namespace',
    );
    assert.match(
      invalidMessage(() => local({ resourceAttributes: ra })),
      /spec\.resourceAttributes\.namespace: Invalid value: "": must match metadata\.namespace/,
    );
    assert.match(
      invalidMessage(() => local({ nonResourceAttributes: { path: '/' } })),
      /spec\.nonResourceAttributes: Invalid value: .*: disallowed on this kind of request/,
    );
    assert.equal(
      invalidMessage(() => local({ resourceAttributes: ra }, { namespace: 'other' })),
      '400 the namespace of the provided object does not match the namespace sent on the request',
    );
  });

  test('SelfSubjectRulesReview: the authorizer’s rules; a namespace is required', () => {
    assert.deepEqual(ask('SelfSubjectRulesReview', { spec: { namespace: 'default' } }).status, {
      resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
      incomplete: false,
    });
    assert.equal(
      invalidMessage(() => ask('SelfSubjectRulesReview', { spec: {} })),
      '400 no namespace on request',
    );
  });
});
