import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { requestURL } from './request-info.js';

describe('requestURL', () => {
  test('a request-target that starts with // is a path, not a host (`//` once threw: a 500)', () => {
    assert.equal(requestURL('//').pathname, '//');
    const u = requestURL('//evil.example/api/v1/pods?labelSelector=a%3Db');
    assert.equal(u.host, 'localhost');
    assert.equal(u.pathname, '//evil.example/api/v1/pods');
    assert.equal(u.searchParams.get('labelSelector'), 'a=b');
  });

  test('absolute-form, asterisk and missing targets never throw', () => {
    assert.equal(requestURL('http://x/api?watch=1').searchParams.get('watch'), '1');
    assert.equal(requestURL('*').host, 'localhost');
    assert.equal(requestURL(undefined).pathname, '/');
    assert.equal(requestURL('/api/v1/namespaces/%zz/pods?%zz').pathname, '/api/v1/namespaces/%zz/pods');
  });
});
