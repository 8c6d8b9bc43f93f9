import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PolicyRule } from 'kubernetes-types/rbac/v1';
import type { Attributes } from '../authorizer.js';
import { ruleAllows } from './rules.js';

const user = { username: 'jane', groups: [] };
const res = (verb: string, resource: string, extra: Partial<Attributes> = {}): Attributes => ({
  user,
  verb,
  resourceRequest: true,
  apiGroup: '',
  resource,
  subresource: '',
  name: '',
  namespace: 'default',
  ...extra,
});
const url = (verb: string, path: string): Attributes => ({ user, verb, resourceRequest: false, path });

const pods: PolicyRule = { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] };

// rbac.go RuleAllows over rbac/v1 evaluation_helpers.go, case by case.
const CASES: [string, PolicyRule, Attributes, boolean][] = [
  ['exact verb, group, resource', pods, res('get', 'pods'), true],
  ['other verb', pods, res('delete', 'pods'), false],
  ['other group', pods, res('get', 'pods', { apiGroup: 'apps' }), false],
  ['other resource', pods, res('get', 'secrets'), false],
  ['a subresource is not its resource', pods, res('get', 'pods', { subresource: 'log' }), false],
  ['verb *', { ...pods, verbs: ['*'] }, res('deletecollection', 'pods'), true],
  ['group *', { ...pods, apiGroups: ['*'] }, res('get', 'pods', { apiGroup: 'x.io' }), true],
  [
    'resource * covers subresources',
    { ...pods, resources: ['*'] },
    res('get', 'pods', { subresource: 'log' }),
    true,
  ],
  [
    'resource/subresource',
    { ...pods, resources: ['pods/log'] },
    res('get', 'pods', { subresource: 'log' }),
    true,
  ],
  [
    'resource/subresource is not the resource',
    { ...pods, resources: ['pods/log'] },
    res('get', 'pods'),
    false,
  ],
  [
    '*/subresource',
    { ...pods, resources: ['*/scale'] },
    res('get', 'deployments', { subresource: 'scale' }),
    true,
  ],
  [
    '*/subresource, other subresource',
    { ...pods, resources: ['*/scale'] },
    res('get', 'pods', { subresource: 'log' }),
    false,
  ],
  ['*/subresource without a subresource', { ...pods, resources: ['*/scale'] }, res('get', 'pods'), false],
  [
    'resourceNames: the named one',
    { ...pods, resourceNames: ['a'] },
    res('get', 'pods', { name: 'a' }),
    true,
  ],
  ['resourceNames: another', { ...pods, resourceNames: ['a'] }, res('get', 'pods', { name: 'b' }), false],
  ['resourceNames: a list has no name', { ...pods, resourceNames: ['a'] }, res('list', 'pods'), false],
  ['a resource rule never allows a URL', pods, url('get', '/api'), false],
  ['URL exact', { verbs: ['get'], nonResourceURLs: ['/healthz'] }, url('get', '/healthz'), true],
  [
    'URL exact, other path',
    { verbs: ['get'], nonResourceURLs: ['/healthz'] },
    url('get', '/healthz/etcd'),
    false,
  ],
  ['URL prefix*', { verbs: ['get'], nonResourceURLs: ['/apis/*'] }, url('get', '/apis/apps/v1'), true],
  [
    'URL prefix* needs the prefix',
    { verbs: ['get'], nonResourceURLs: ['/apis/*'] },
    url('get', '/apis'),
    false,
  ],
  ['URL *', { verbs: ['get'], nonResourceURLs: ['*'] }, url('get', '/anything'), true],
  ['URL, other verb', { verbs: ['get'], nonResourceURLs: ['*'] }, url('post', '/anything'), false],
  ['a URL rule never allows a resource', { verbs: ['*'], nonResourceURLs: ['*'] }, res('get', 'pods'), false],
];

describe('ruleAllows (rbac/v1 evaluation helpers)', () => {
  for (const [name, rule, attrs, want] of CASES) {
    test(name, () => assert.equal(ruleAllows(attrs, rule), want));
  }
});
