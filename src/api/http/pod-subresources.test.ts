import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, describe, test } from 'node:test';
import { expectApiError } from '../testing/api-errors.js';
import { openTestRegistry } from '../testing/registry.js';
import { unscheduledPodSubresources } from './pod-subresources.js';

describe('pods/log before the pod has a node', () => {
  const { store, registry } = openTestRegistry();
  after(() => store.close());
  registry.create('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
  });
  const log = unscheduledPodSubresources(registry).get('pods/log')!;
  const r = {
    group: '',
    version: 'v1',
    namespace: 'default',
    resource: 'pods',
    name: 'p',
    subresource: 'log',
  };
  const get = (query: string) => {
    let status = 0;
    const res = {
      writeHead: (code: number) => {
        status = code;
      },
      end: () => {},
    } as unknown as ServerResponse;
    const req = { method: 'GET' } as IncomingMessage;
    log(req, res, r, new URL(`https://localhost/x?${query}`));
    return status;
  };

  test('valid options: an empty log', () => {
    assert.equal(get('container=c&tailLines=10&follow=true'), 200);
  });

  test('bad PodLogOptions are refused as when the pod runs (they were ignored: 200)', () => {
    expectApiError(
      () => get('tailLines=-3'),
      422,
      'PodLogOptions "p" is invalid: tailLines: Invalid value: -3: must be greater than or equal to 0',
    );
    expectApiError(
      () => get('sinceSeconds=abc'),
      400,
      'sinceSeconds: invalid value "abc": must be an integer',
    );
    expectApiError(() => get('limitBytes=0'), 422, /limitBytes: Invalid value: 0: must be greater than 0/);
    expectApiError(() => get('sinceTime=yesterday'), 400, /sinceTime: invalid value "yesterday"/);
  });
});
