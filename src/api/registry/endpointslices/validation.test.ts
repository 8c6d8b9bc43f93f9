import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { type FieldError, formatFieldError } from '../../validation/field.js';
import { defaultEndpointSlice } from './defaults.js';
import { validateEndpointSlice, validateEndpointSliceUpdate, validateFQDN } from './validation.js';

const msgs = (errs: FieldError[]): string[] => errs.map(formatFieldError);
const slice = (over: Partial<EndpointSlice>): EndpointSlice => ({
  metadata: { name: 'web-abcde', namespace: 'default' },
  addressType: 'IPv4',
  endpoints: [],
  ...over,
});

describe('EndpointSlice defaults', () => {
  test('ports get name "" and protocol TCP; set values stay', () => {
    const s = slice({ ports: [{ port: 80 }, { name: 'dns', port: 53, protocol: 'UDP' }] });
    defaultEndpointSlice(s);
    assert.deepEqual(s.ports, [
      { name: '', port: 80, protocol: 'TCP' },
      { name: 'dns', port: 53, protocol: 'UDP' },
    ]);
  });
});

describe('validateEndpointSlice', () => {
  test('a controller-shaped slice is valid', () => {
    const s = slice({
      endpoints: [
        {
          addresses: ['10.1.0.5'],
          conditions: { ready: true, serving: true, terminating: false },
          nodeName: 'node-1',
          targetRef: { kind: 'Pod', namespace: 'default', name: 'web-1', uid: 'u1' },
        },
      ],
      ports: [{ name: 'http', port: 8080, protocol: 'TCP', appProtocol: 'kubernetes.io/h2c' }],
    });
    assert.deepEqual(msgs(validateEndpointSlice(s)), []);
  });

  test('address type is required and must be supported', () => {
    assert.deepEqual(msgs(validateEndpointSlice(slice({ addressType: '' }))), [
      'addressType: Required value',
    ]);
    assert.deepEqual(msgs(validateEndpointSlice(slice({ addressType: 'IP' }))), [
      'addressType: Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"',
    ]);
  });

  test('addresses must match the address type and be routable', () => {
    const s = slice({
      endpoints: [
        { addresses: [] },
        { addresses: ['fd00::1', '127.0.0.1', 'nope'] },
        { addresses: ['10.0.0.1'], hostname: 'Bad_Host', nodeName: 'UPPER' },
      ],
    });
    assert.deepEqual(msgs(validateEndpointSlice(s)), [
      'endpoints[0].addresses: Required value: must contain at least 1 address',
      'endpoints[1].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address',
      'endpoints[1].addresses[1]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      'endpoints[1].addresses[2]: Invalid value: "nope": must be a valid IPv4 address',
      'endpoints[1].addresses[2]: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      `endpoints[2].nodeName: Invalid value: "UPPER": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      `endpoints[2].hostname: Invalid value: "Bad_Host": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    ]);
  });

  test('IPv6 slices take IPv6 addresses', () => {
    const s = slice({ addressType: 'IPv6', endpoints: [{ addresses: ['fd00::1', '10.0.0.1'] }] });
    assert.deepEqual(msgs(validateEndpointSlice(s)), [
      'endpoints[0].addresses[1]: Invalid value: "10.0.0.1": must be a valid IPv6 address',
    ]);
  });

  test('list caps: 1000 endpoints, 100 addresses each', () => {
    const tooManyEndpoints = slice({
      endpoints: Array.from({ length: 1001 }, () => ({ addresses: ['10.0.0.1'] })),
    });
    assert.deepEqual(msgs(validateEndpointSlice(tooManyEndpoints)), [
      'endpoints: Too many: 1001: must have at most 1000 items',
    ]);
    const tooManyAddresses = slice({
      endpoints: [{ addresses: Array.from({ length: 101 }, (_, i) => `10.0.0.${i + 1}`) }],
    });
    assert.deepEqual(msgs(validateEndpointSlice(tooManyAddresses)), [
      'endpoints[0].addresses: Too many: 101: must have at most 100 items',
    ]);
  });

  test('ports: unique names, DNS labels, supported protocols, qualified appProtocol', () => {
    const s = slice({
      ports: [
        { name: '', port: 80, protocol: 'TCP' },
        { name: '', port: 81, protocol: 'TCP' },
        { name: 'HTTP', port: 82, protocol: 'HTTP' },
        { name: 'x', port: 83, appProtocol: 'not a name' },
      ],
    });
    assert.deepEqual(msgs(validateEndpointSlice(s)), [
      'ports[1].name: Duplicate value: ""',
      `ports[2].name: Invalid value: "HTTP": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
      'ports[2].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      'ports[3].protocol: Required value',
      `ports[3].appProtocol: Invalid value: "not a name": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    ]);
  });

  test('zone hints: at most 8, unique, label values', () => {
    const s = slice({
      endpoints: [
        { addresses: ['10.0.0.1'], hints: { forZones: [{ name: 'a' }, { name: 'a' }, { name: '-x' }] } },
      ],
    });
    assert.deepEqual(msgs(validateEndpointSlice(s)).slice(0, 2), [
      'endpoints[0].hints.forZones[1].name: Duplicate value: "a"',
      `endpoints[0].hints.forZones[2].name: Invalid value: "-x": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ]);
  });

  test('addressType is immutable', () => {
    assert.deepEqual(msgs(validateEndpointSliceUpdate(slice({ addressType: 'IPv6' }), slice({}))), [
      'addressType: Invalid value: "IPv6": field is immutable',
    ]);
    assert.deepEqual(validateEndpointSliceUpdate(slice({}), slice({})), []);
  });
});

describe('validateFQDN', () => {
  const cases: readonly [string, string[]][] = [
    ['example.com', []],
    ['example.com.', []],
    ['', ['x: Required value']],
    [
      'localhost',
      ['x: Invalid value: "localhost": should be a domain with at least two segments separated by dots'],
    ],
  ];
  for (const [value, want] of cases)
    test(JSON.stringify(value), () => assert.deepEqual(msgs(validateFQDN(value, 'x')), want));
});
