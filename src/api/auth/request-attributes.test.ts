import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { requestAttributes } from './request-attributes.js';
import { ADMIN_USER } from './user.js';

/** [method, path with query] → the attributes that matter, as upstream's requestinfo_test.go cases. */
function attrs(method: string, target: string) {
  const url = new URL(target, 'https://x');
  const a = requestAttributes(ADMIN_USER, method, url.pathname, url.searchParams);
  if (!a.resourceRequest) return { verb: a.verb, path: a.path };
  return [a.verb, a.apiGroup, a.apiVersion, a.namespace, a.resource, a.subresource, a.name].join('|');
}

describe('request attributes (RequestInfoFactory)', () => {
  test('verbs from methods; no name makes get a list (or watch) and delete a deletecollection', () => {
    assert.equal(attrs('GET', '/api/v1/namespaces/ns/pods/p'), 'get||v1|ns|pods||p');
    assert.equal(attrs('HEAD', '/api/v1/namespaces/ns/pods/p'), 'get||v1|ns|pods||p');
    assert.equal(attrs('GET', '/api/v1/namespaces/ns/pods'), 'list||v1|ns|pods||');
    assert.equal(attrs('GET', '/api/v1/pods?watch=true'), 'watch||v1||pods||');
    assert.equal(attrs('GET', '/api/v1/pods?watch=0'), 'list||v1||pods||');
    assert.equal(attrs('GET', '/api/v1/pods?watch=FALSE'), 'list||v1||pods||');
    assert.equal(attrs('POST', '/apis/apps/v1/namespaces/ns/deployments'), 'create|apps|v1|ns|deployments||');
    assert.equal(
      attrs('PUT', '/apis/apps/v1/namespaces/ns/deployments/d'),
      'update|apps|v1|ns|deployments||d',
    );
    assert.equal(
      attrs('PATCH', '/apis/apps/v1/namespaces/ns/deployments/d/scale'),
      'patch|apps|v1|ns|deployments|scale|d',
    );
    assert.equal(attrs('DELETE', '/api/v1/namespaces/ns/pods/p'), 'delete||v1|ns|pods||p');
    assert.equal(attrs('DELETE', '/api/v1/namespaces/ns/pods'), 'deletecollection||v1|ns|pods||');
    assert.equal(attrs('OPTIONS', '/api/v1/pods'), '||v1||pods||');
  });

  test('subresources, streaming, namespaces themselves and the old watch prefix', () => {
    assert.equal(attrs('GET', '/api/v1/namespaces/ns/pods/p/log?follow=true'), 'get||v1|ns|pods|log|p');
    assert.equal(attrs('POST', '/api/v1/namespaces/ns/pods/p/exec?command=ls'), 'create||v1|ns|pods|exec|p');
    assert.equal(attrs('GET', '/api/v1/namespaces/ns/pods/p/portforward'), 'get||v1|ns|pods|portforward|p');
    assert.equal(attrs('GET', '/api/v1/namespaces'), 'list||v1||namespaces||');
    assert.equal(attrs('GET', '/api/v1/namespaces/ns'), 'get||v1|ns|namespaces||ns');
    assert.equal(attrs('PUT', '/api/v1/namespaces/ns/finalize'), 'update||v1|ns|namespaces|finalize|ns');
    assert.equal(attrs('GET', '/api/v1/watch/namespaces/ns/pods/p'), 'watch||v1|ns|pods||p');
    assert.equal(attrs('GET', '/api/v1/watch/pods'), 'watch||v1||pods||');
    assert.equal(attrs('GET', '/api/v1/namespaces/ns/pods/a%20b'), 'get||v1|ns|pods||a b');
  });

  test('a list pinned to one metadata.name is about that name', () => {
    assert.equal(
      attrs('GET', '/api/v1/namespaces/ns/pods?fieldSelector=metadata.name%3Dp'),
      'list||v1|ns|pods||p',
    );
    assert.equal(
      attrs('GET', '/api/v1/namespaces/ns/pods?watch=1&fieldSelector=metadata.name%3D%3Dp'),
      'watch||v1|ns|pods||p',
    );
    assert.equal(
      attrs('GET', '/api/v1/namespaces/ns/pods?fieldSelector=metadata.name!%3Dp'),
      'list||v1|ns|pods||',
    );
    assert.equal(attrs('GET', '/api/v1/pods?fieldSelector=spec.nodeName%3Dn'), 'list||v1||pods||');
    assert.equal(attrs('GET', '/api/v1/pods?fieldSelector=metadata.name%3Da%2Fb'), 'list||v1||pods||');
  });

  test('discovery, OpenAPI and health are non-resource requests with the method as verb', () => {
    assert.deepEqual(attrs('GET', '/api'), { verb: 'get', path: '/api' });
    assert.deepEqual(attrs('GET', '/api/v1'), { verb: 'get', path: '/api/v1' });
    assert.deepEqual(attrs('GET', '/apis/apps'), { verb: 'get', path: '/apis/apps' });
    assert.deepEqual(attrs('GET', '/apis/apps/v1'), { verb: 'get', path: '/apis/apps/v1' });
    assert.deepEqual(attrs('GET', '/openapi/v3/apis/apps/v1'), {
      verb: 'get',
      path: '/openapi/v3/apis/apps/v1',
    });
    assert.deepEqual(attrs('POST', '/logs'), { verb: 'post', path: '/logs' });
  });
});
