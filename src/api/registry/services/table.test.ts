import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Service } from 'kubernetes-types/core/v1';
import { NOW } from '../printers/testing/pod-fixtures.js';
import { serviceTable } from './table.js';

const svc = (name: string, spec: Service['spec'], status?: Service['status']): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name },
  spec,
  ...(status ? { status } : {}),
});

describe('serviceTable', () => {
  test('columns', () => {
    assert.deepEqual(
      serviceTable.columns.map((c) => [c.name, c.type, c.format, c.priority]),
      [
        ['Name', 'string', 'name', 0],
        ['Type', 'string', '', 0],
        ['Cluster-IP', 'string', '', 0],
        ['External-IP', 'string', '', 0],
        ['Port(s)', 'string', '', 0],
        ['Age', 'string', '', 0],
        ['Selector', 'string', '', 1],
      ],
    );
    assert.match(serviceTable.columns[3]!.description, /^externalIPs is a list of IP addresses/);
  });

  // printers_test.go TestPrintService / TestPrintServiceLoadBalancer; the server builds its
  // tables wide, so long load-balancer lists are not clipped ("2.3.4.5,3.4.5..." is the
  // client-side non-wide form).
  const cases: readonly [string, Service, readonly (string | number)[]][] = [
    [
      'ClusterIP',
      svc('test1', { type: 'ClusterIP', ports: [{ protocol: 'tcp', port: 2233 }], clusterIP: '10.9.8.7' }),
      ['test1', 'ClusterIP', '10.9.8.7', '<none>', '2233/tcp', '<unknown>', '<none>'],
    ],
    [
      'NodePort',
      svc('test2', {
        type: 'NodePort',
        ports: [{ protocol: 'tcp', port: 8888, nodePort: 9999 }],
        clusterIP: '10.9.8.7',
      }),
      ['test2', 'NodePort', '10.9.8.7', '<none>', '8888:9999/tcp', '<unknown>', '<none>'],
    ],
    [
      'LoadBalancer pending',
      svc('test3', { type: 'LoadBalancer', ports: [{ protocol: 'tcp', port: 8888 }], clusterIP: '10.9.8.7' }),
      ['test3', 'LoadBalancer', '10.9.8.7', '<pending>', '8888/tcp', '<unknown>', '<none>'],
    ],
    [
      'LoadBalancer with external IP, no status',
      svc('test4', {
        type: 'LoadBalancer',
        ports: [{ protocol: 'tcp', port: 8888 }],
        clusterIP: '10.9.8.7',
        externalIPs: ['80.11.12.10'],
      }),
      ['test4', 'LoadBalancer', '10.9.8.7', '80.11.12.10', '8888/tcp', '<unknown>', '<none>'],
    ],
    [
      'LoadBalancer ingress then external IPs',
      svc(
        'test5',
        {
          type: 'LoadBalancer',
          ports: [{ protocol: 'tcp', port: 8888 }],
          clusterIP: '10.9.8.7',
          externalIPs: ['80.11.12.10'],
        },
        { loadBalancer: { ingress: [{ ip: '3.4.5.6', hostname: 'test.cluster.com' }] } },
      ),
      ['test5', 'LoadBalancer', '10.9.8.7', '3.4.5.6,80.11.12.10', '8888/tcp', '<unknown>', '<none>'],
    ],
    [
      'LoadBalancer several of each',
      svc(
        'test6',
        {
          type: 'LoadBalancer',
          ports: [{ protocol: 'tcp', port: 8888 }],
          clusterIP: '10.9.8.7',
          externalIPs: ['80.11.12.10', '80.11.12.11'],
        },
        {
          loadBalancer: {
            ingress: [
              { ip: '2.3.4.5', hostname: 'test.cluster.local' },
              { ip: '3.4.5.6', hostname: 'test.cluster.com' },
            ],
          },
        },
      ),
      [
        'test6',
        'LoadBalancer',
        '10.9.8.7',
        '2.3.4.5,3.4.5.6,80.11.12.10,80.11.12.11',
        '8888/tcp',
        '<unknown>',
        '<none>',
      ],
    ],
    [
      'ExternalName',
      svc('test7', { type: 'ExternalName', externalName: 'my.database.example.com' }),
      ['test7', 'ExternalName', '<none>', 'my.database.example.com', '<none>', '<unknown>', '<none>'],
    ],
    [
      'LoadBalancer ingress sorted, hostname when no IP, not clipped',
      svc(
        'service4',
        {
          type: 'LoadBalancer',
          clusterIPs: ['1.5.6.7'],
          ports: [
            { port: 80, protocol: 'TCP' },
            { port: 8090, protocol: 'UDP' },
            { port: 8000, protocol: 'TCP' },
          ],
          selector: { foo: 'bar' },
        },
        {
          loadBalancer: {
            ingress: [
              { ip: '5.6.7.8', hostname: 'host5678' },
              { ip: '2.3.4.5' },
              { hostname: 'lb.example.com' },
              { ip: '2.3.4.5' },
            ],
          },
        },
      ),
      [
        'service4',
        'LoadBalancer',
        '1.5.6.7',
        '2.3.4.5,5.6.7.8,lb.example.com',
        '80/TCP,8090/UDP,8000/TCP',
        '<unknown>',
        'foo=bar',
      ],
    ],
    [
      'headless service prints its clusterIP "None"',
      svc('db', {
        type: 'ClusterIP',
        clusterIP: 'None',
        clusterIPs: ['None'],
        ports: [{ port: 5432, protocol: 'TCP' }],
        selector: { app: 'db', tier: 'data' },
      }),
      ['db', 'ClusterIP', 'None', '<none>', '5432/TCP', '<unknown>', 'app=db,tier=data'],
    ],
    [
      'ClusterIP with external IPs, no ports',
      svc('x', {
        type: 'ClusterIP',
        clusterIPs: ['10.0.0.1', 'fd00::1'],
        externalIPs: ['1.2.3.4', '5.6.7.8'],
      }),
      ['x', 'ClusterIP', '10.0.0.1', '1.2.3.4,5.6.7.8', '<none>', '<unknown>', '<none>'],
    ],
    [
      'type unset reads External-IP <unknown>',
      svc('raw', {}),
      ['raw', '', '<none>', '<unknown>', '<none>', '<unknown>', '<none>'],
    ],
  ];
  for (const [what, s, cells] of cases) test(what, () => assert.deepEqual(serviceTable.row(s, NOW), cells));

  test('spec.clusterIP is authoritative over clusterIPs, as the v1 conversion makes it', () => {
    assert.equal(
      serviceTable.row(
        svc('a', { type: 'ClusterIP', clusterIP: '10.0.0.5', clusterIPs: ['10.0.0.6'] }),
        NOW,
      )[2],
      '10.0.0.5',
    );
  });
});
