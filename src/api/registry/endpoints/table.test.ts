import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EndpointSubset } from 'kubernetes-types/core/v1';
import { ago, MIN, NOW } from '../printers/testing/pod-fixtures.js';
import { endpointsTable, formatEndpoints } from './table.js';

const ep = (subsets?: EndpointSubset[]) => ({ metadata: { name: 'web' }, ...(subsets ? { subsets } : {}) });
const addrs = (...ips: string[]) => ips.map((ip) => ({ ip }));

describe('endpointsTable', () => {
  test('columns', () => {
    assert.deepEqual(
      endpointsTable.columns.map((c) => [c.name, c.type, c.priority]),
      [
        ['Name', 'string', 0],
        ['Endpoints', 'string', 0],
        ['Age', 'string', 0],
      ],
    );
    assert.match(
      endpointsTable.columns[1]!.description,
      /^The set of all endpoints is the union of all subsets\./,
    );
  });

  const cases: readonly [string, EndpointSubset[] | undefined, string][] = [
    ['no subsets', undefined, '<none>'],
    ['empty subsets list', [], '<none>'],
    ['subset without ready addresses', [{ notReadyAddresses: addrs('10.0.0.9'), ports: [{ port: 80 }] }], ''],
    [
      'two addresses, one port',
      [{ addresses: addrs('10.0.0.1', '10.0.0.2'), ports: [{ port: 80 }] }],
      '10.0.0.1:80,10.0.0.2:80',
    ],
    [
      'five addresses: three listed, "+ 2 more..."',
      [
        {
          addresses: addrs('10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5'),
          ports: [{ port: 80 }],
        },
      ],
      '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more...',
    ],
    [
      'every port of a subset, per address',
      [
        {
          addresses: addrs('10.0.0.1', '10.0.0.2'),
          ports: [
            { name: 'http', port: 80 },
            { name: 'https', port: 443 },
          ],
        },
      ],
      '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...',
    ],
    [
      'headless subset without ports lists bare IPs',
      [{ addresses: addrs('10.0.0.1', '10.0.0.2') }],
      '10.0.0.1,10.0.0.2',
    ],
    [
      'across subsets, IPv6 bracketed',
      [
        { addresses: addrs('10.0.0.1'), ports: [{ port: 80 }] },
        { addresses: addrs('fd00::1', 'fd00::2', 'fd00::3'), ports: [{ port: 8080 }] },
      ],
      '10.0.0.1:80,[fd00::1]:8080,[fd00::2]:8080 + 1 more...',
    ],
    [
      'exactly three is not "more"',
      [{ addresses: addrs('10.0.0.1', '10.0.0.2', '10.0.0.3'), ports: [{ port: 80 }] }],
      '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80',
    ],
  ];
  for (const [what, subsets, want] of cases)
    test(what, () => assert.equal(formatEndpoints(ep(subsets)), want));

  test('row', () => {
    assert.deepEqual(
      endpointsTable.row(
        {
          metadata: { name: 'web', creationTimestamp: ago(4 * MIN) },
          subsets: [{ addresses: addrs('10.244.0.7'), ports: [{ port: 6379 }] }],
        },
        NOW,
      ),
      ['web', '10.244.0.7:6379', '4m'],
    );
  });
});
