import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { describe, test } from 'node:test';
import { ApiError } from '../errors.js';
import { type Authorizer, alwaysAllow } from './authorizer.js';
import { impersonatedUser } from './impersonation.js';
import { ADMIN_USER } from './user.js';

/** Headers as Node gives them: the lower-cased map and the raw name/value list (repeats kept). */
function headers(pairs: [string, string][]): [IncomingHttpHeaders, string[]] {
  const map: IncomingHttpHeaders = {};
  for (const [k, v] of pairs) {
    const key = k.toLowerCase();
    map[key] = map[key] === undefined ? v : `${map[key]}, ${v}`;
  }
  return [map, pairs.flat()];
}
const as = (pairs: [string, string][], authorizer: Authorizer = alwaysAllow) =>
  impersonatedUser(ADMIN_USER, ...headers(pairs), authorizer);

describe('impersonation', () => {
  test('no Impersonate-* header: the authenticated user', () => {
    assert.equal(as([['Accept', 'application/json']]), ADMIN_USER);
  });

  test('a user gets system:authenticated; given groups are kept in order, repeated headers included', () => {
    assert.deepEqual(as([['Impersonate-User', 'jane']]), {
      username: 'jane',
      groups: ['system:authenticated'],
    });
    assert.deepEqual(
      as([
        ['Impersonate-User', 'jane'],
        ['Impersonate-Group', 'dev'],
        ['Impersonate-Group', 'ops, qa'],
      ]),
      { username: 'jane', groups: ['dev', 'ops, qa', 'system:authenticated'] },
    );
    assert.deepEqual(
      as([
        ['Impersonate-User', 'jane'],
        ['Impersonate-Group', 'system:unauthenticated'],
      ]).groups,
      ['system:unauthenticated'],
    );
  });

  test('a ServiceAccount brings its groups unless groups are given; anonymous is unauthenticated', () => {
    assert.deepEqual(as([['Impersonate-User', 'system:serviceaccount:ns1:robot']]), {
      username: 'system:serviceaccount:ns1:robot',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:ns1', 'system:authenticated'],
    });
    assert.deepEqual(
      as([
        ['Impersonate-User', 'system:serviceaccount:ns1:robot'],
        ['Impersonate-Group', 'g'],
      ]).groups,
      ['g', 'system:authenticated'],
    );
    // Not a valid ServiceAccount name: an ordinary user name.
    assert.deepEqual(as([['Impersonate-User', 'system:serviceaccount:Bad_NS:robot']]).groups, [
      'system:authenticated',
    ]);
    assert.deepEqual(as([['Impersonate-User', 'system:anonymous']]).groups, ['system:unauthenticated']);
  });

  test('extra values (percent-encoded keys, lower-cased) and uid', () => {
    assert.deepEqual(
      as([
        ['Impersonate-User', 'jane'],
        ['Impersonate-Extra-Example.com%2fScopes', 'view'],
        ['Impersonate-Extra-example.com%2fscopes', 'edit'],
        ['Impersonate-Uid', 'u-1'],
      ]),
      {
        username: 'jane',
        uid: 'u-1',
        groups: ['system:authenticated'],
        extra: { 'example.com/scopes': ['view', 'edit'] },
      },
    );
  });

  test('groups, extra or uid without a user: 500 naming the requests, as upstream', () => {
    assert.throws(
      () => as([['Impersonate-Group', 'dev']]),
      (e: unknown) =>
        e instanceof ApiError &&
        e.code === 500 &&
        e.message === 'Internal error occurred: requested [{Group  dev    }] without impersonating a user',
    );
    assert.throws(
      () => as([['Impersonate-Uid', 'u-1']]),
      /requested \[\{UID {2}u-1 {2}authentication\.k8s\.io\/v1 {2}\}\] without impersonating a user/,
    );
  });

  test('an authorizer that denies: 403 in upstream’s words', () => {
    const deny: Authorizer = { ...alwaysAllow, authorize: () => ({ decision: 'NoOpinion', reason: '' }) };
    assert.throws(
      () => as([['Impersonate-User', 'jane']], deny),
      (e: unknown) =>
        e instanceof ApiError &&
        e.code === 403 &&
        e.message ===
          'users "jane" is forbidden: User "podbay-admin" cannot impersonate resource "users" in API group "" at the cluster scope',
    );
    assert.throws(
      () => as([['Impersonate-User', 'system:serviceaccount:ns1:robot']], deny),
      /serviceaccounts "robot" is forbidden: User "podbay-admin" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "ns1"/,
    );
  });
});
