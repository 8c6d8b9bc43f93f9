import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Endpoints } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../types.js';
import { type FieldError, formatFieldError } from '../../validation/field.js';
import { defaultEndpoints } from './defaults.js';
import { endpointsStrategy } from './strategy.js';
import { validateEndpoints } from './validation.js';

const msgs = (errs: FieldError[]): string[] => errs.map(formatFieldError);

describe('Endpoints', () => {
  test('ports default to TCP; addresses must be routable', () => {
    const ep: Endpoints = {
      metadata: { name: 'web', namespace: 'default' },
      subsets: [
        {
          addresses: [{ ip: '10.1.0.5' }, { ip: '127.0.0.1' }, { ip: 'nope' }],
          ports: [{ port: 80 }, { port: 443 }],
        },
        {},
      ],
    };
    defaultEndpoints(ep);
    assert.equal(ep.subsets![0]!.ports![0]!.protocol, 'TCP');
    assert.deepEqual(msgs(validateEndpoints(ep)), [
      'subsets[0].addresses[1].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      'subsets[0].addresses[2].ip: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      'subsets[0].ports[0].name: Required value',
      'subsets[0].ports[1].name: Required value',
      'subsets[1]: Required value: must specify `addresses` or `notReadyAddresses`',
    ]);
  });

  test('the strategy applies the defaults (kubectl apply of Endpoints without a protocol is accepted)', () => {
    const ep = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'db', namespace: 'default' },
      subsets: [{ addresses: [{ ip: '10.1.0.7' }], ports: [{ port: 5432 }] }],
    } as Endpoints & KubeObject;
    endpointsStrategy.defaults(ep);
    assert.equal(ep.subsets![0]!.ports![0]!.protocol, 'TCP');
    assert.deepEqual(msgs(validateEndpoints(ep)), []);
  });
});
