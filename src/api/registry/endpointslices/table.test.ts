import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Endpoint, EndpointPort } from 'kubernetes-types/discovery/v1';
import { ago, MIN, NOW } from '../printers/testing/pod-fixtures.js';
import { endpointSliceTable, formatDiscoveryEndpoints, formatDiscoveryPorts } from './table.js';

const eps = (...groups: string[][]): Endpoint[] => groups.map((addresses) => ({ addresses }));

describe('endpointSliceTable', () => {
  test('columns are upstream printers.go: Name, AddressType, Ports, Endpoints, Age', () => {
    assert.deepEqual(
      endpointSliceTable.columns.map((c) => [c.name, c.type, c.format, c.priority]),
      [
        ['Name', 'string', 'name', 0],
        ['AddressType', 'string', '', 0],
        ['Ports', 'string', '', 0],
        ['Endpoints', 'string', '', 0],
        ['Age', 'string', '', 0],
      ],
    );
    assert.match(endpointSliceTable.columns[1]!.description, /^addressType specifies the type of address/);
  });

  const portCases: readonly [string, EndpointPort[] | undefined, string][] = [
    ['no ports', undefined, '<unset>'],
    ['empty ports', [], '<unset>'],
    ['numbers', [{ port: 80 }, { port: 443 }], '80,443'],
    ['name when no number; * when neither', [{ name: 'http' }, {}], 'http,*'],
    [
      'four: three listed then "+ 1 more..."',
      [{ port: 1 }, { port: 2 }, { port: 3 }, { port: 4 }],
      '1,2,3 + 1 more...',
    ],
  ];
  for (const [what, ports, want] of portCases)
    test(`ports: ${what}`, () => assert.equal(formatDiscoveryPorts(ports), want));

  const endpointCases: readonly [string, Endpoint[] | undefined, string][] = [
    ['no endpoints', undefined, '<unset>'],
    ['empty', [], '<unset>'],
    ['addresses across endpoints', eps(['10.0.0.1'], ['10.0.0.2']), '10.0.0.1,10.0.0.2'],
    [
      'exactly three is not "more"',
      eps(['10.0.0.1'], ['10.0.0.2'], ['10.0.0.3']),
      '10.0.0.1,10.0.0.2,10.0.0.3',
    ],
    [
      'five: "+ 2 more..."',
      eps(['10.0.0.1', '10.0.0.2'], ['10.0.0.3'], ['10.0.0.4'], ['10.0.0.5']),
      '10.0.0.1,10.0.0.2,10.0.0.3 + 2 more...',
    ],
  ];
  for (const [what, endpoints, want] of endpointCases)
    test(`endpoints: ${what}`, () => assert.equal(formatDiscoveryEndpoints(endpoints), want));

  test('row', () => {
    assert.deepEqual(
      endpointSliceTable.row(
        {
          metadata: { name: 'web-x7k2p', creationTimestamp: ago(4 * MIN) },
          addressType: 'IPv4',
          ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
          endpoints: eps(['10.244.0.7'], ['10.244.0.8']),
        },
        NOW,
      ),
      ['web-x7k2p', 'IPv4', '8080', '10.244.0.7,10.244.0.8', '4m'],
    );
  });
});
