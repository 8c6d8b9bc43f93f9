import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError } from '../errors.js';
import { escapeFieldValue, parseFieldSelector, parseFieldTerms } from './field-selector.js';

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-1', namespace: 'default' },
  spec: { nodeName: 'n1', restartPolicy: 'Always', hostNetwork: true },
  status: { phase: 'Running', podIPs: [{ ip: '10.0.0.5' }] },
};

const isBadRequest = (msg: string) => (e: unknown) =>
  e instanceof ApiError && e.code === 400 && e.message === msg;

describe('field selectors', () => {
  const matches: [string, string, Record<string, unknown>, boolean][] = [
    ['pods', 'metadata.name=web-1', pod, true],
    ['pods', 'metadata.name==web-1', pod, true],
    ['pods', 'metadata.name!=web-1', pod, false],
    ['pods', 'status.phase=Running,spec.nodeName=n1', pod, true],
    ['pods', 'status.phase!=Running,spec.restartPolicy=Always', pod, false],
    ['pods', 'spec.hostNetwork=true', pod, true],
    ['pods', 'status.podIP=10.0.0.5', pod, true],
    ['pods', 'spec.host=n1', pod, true],
    ['pods', 'status.podIPs=10.0.0.5', pod, false],
    ['pods', 'spec.schedulerName=', pod, true],
    ['pods', '', pod, true],
    [
      'events',
      'involvedObject.name=web-1,source=kubelet',
      { metadata: {}, involvedObject: { name: 'web-1' }, source: { component: 'kubelet' } },
      true,
    ],
    ['events', 'reason=Pulled', { metadata: {}, reason: 'Killing' }, false],
    ['secrets', 'type=Opaque', { metadata: { name: 's' }, type: 'Opaque' }, true],
    ['nodes', 'spec.unschedulable=false', { metadata: { name: 'n' }, spec: {} }, true],
    ['namespaces', 'status.phase=Active', { metadata: { name: 'x' }, status: { phase: 'Active' } }, true],
    ['replicasets', 'status.replicas=0', { metadata: { name: 'r' }, status: {} }, true],
    ['deployments', 'metadata.namespace=default', { metadata: { name: 'd', namespace: 'default' } }, true],
    ['configmaps', 'metadata.name=a\\,b', { metadata: { name: 'a,b' } }, true],
  ];
  for (const [resource, sel, obj, want] of matches) {
    test(`${resource}: ${sel || '(empty)'} → ${want}`, () => {
      assert.equal(parseFieldSelector(resource, sel).matches(obj), want);
    });
  }

  test('unsupported fields: upstream messages per kind', () => {
    assert.throws(
      () => parseFieldSelector('pods', 'spec.foo=x'),
      isBadRequest('field label not supported: spec.foo'),
    );
    assert.throws(
      () => parseFieldSelector('namespaces', 'metadata.namespace=x'),
      isBadRequest('field label not supported: metadata.namespace'),
    );
    assert.throws(
      () => parseFieldSelector('deployments', 'spec.replicas=1'),
      isBadRequest(
        '"spec.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"',
      ),
    );
  });

  test('syntax errors', () => {
    assert.throws(
      () => parseFieldTerms('metadata.name'),
      isBadRequest("invalid selector: 'metadata.name'; can't understand 'metadata.name'"),
    );
    assert.throws(
      () => parseFieldTerms('a=b\\x'),
      isBadRequest('invalid field selector: invalid escape sequence: \\x'),
    );
    assert.throws(
      () => parseFieldTerms('a=b\\'),
      isBadRequest('invalid field selector: invalid escape sequence: \\'),
    );
    assert.throws(
      () => parseFieldTerms('a=b=c'),
      isBadRequest('invalid field selector: unescaped character in value: 61'),
    );
  });

  test('operators and escapes', () => {
    assert.deepEqual(parseFieldTerms('b!=x,a==y\\=z,c=\\\\'), [
      { field: 'a', op: '=', value: 'y=z' },
      { field: 'b', op: '!=', value: 'x' },
      { field: 'c', op: '=', value: '\\' },
    ]);
    assert.equal(escapeFieldValue('a,b=c\\'), 'a\\,b\\=c\\\\');
    assert.equal(parseFieldSelector('pods', 'metadata.name=a\\,b').toString(), 'metadata.name=a\\,b');
  });
});
