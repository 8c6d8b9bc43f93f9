import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Node, NodeSystemInfo } from 'kubernetes-types/core/v1';
import { ago, DAY, NOW } from '../printers/testing/pod-fixtures.js';
import { nodeTable } from './table.js';

const node = (name: string, extra: Partial<Node> = {}): Node => ({ metadata: { name }, ...extra });
const ready = (status: string) => ({ status: { conditions: [{ type: 'Ready', status }] } });
const sysInfo = (set: Partial<NodeSystemInfo>): NodeSystemInfo => ({
  architecture: '',
  bootID: '',
  containerRuntimeVersion: '',
  kernelVersion: '',
  kubeProxyVersion: '',
  kubeletVersion: '',
  machineID: '',
  operatingSystem: '',
  osImage: '',
  systemUUID: '',
  ...set,
});
const head = (n: Node) => nodeTable.row(n, NOW).slice(0, 5);
const wide = (n: Node) => nodeTable.row(n, NOW).slice(5);

describe('nodeTable', () => {
  test('columns', () => {
    assert.deepEqual(
      nodeTable.columns.map((c) => [c.name, c.priority]),
      [
        ['Name', 0],
        ['Status', 0],
        ['Roles', 0],
        ['Age', 0],
        ['Version', 0],
        ['Internal-IP', 1],
        ['External-IP', 1],
        ['OS-Image', 1],
        ['Kernel-Version', 1],
        ['Container-Runtime', 1],
      ],
    );
    assert.equal(nodeTable.columns[4]!.description, 'Kubelet Version reported by the node.');
    assert.equal(nodeTable.columns[5]!.description, nodeTable.columns[6]!.description);
  });

  // printers_test.go TestPrintNodeStatus.
  const statuses: readonly [string, Node, string][] = [
    ['Ready', node('foo1', ready('True')), 'Ready'],
    [
      'cordoned',
      node('foo2', { spec: { unschedulable: true }, ...ready('True') }),
      'Ready,SchedulingDisabled',
    ],
    [
      'repeated Ready',
      node('foo3', {
        status: {
          conditions: [
            { type: 'Ready', status: 'True' },
            { type: 'Ready', status: 'True' },
          ],
        },
      }),
      'Ready',
    ],
    ['NotReady', node('foo4', ready('False')), 'NotReady'],
    [
      'NotReady and cordoned',
      node('foo5', { spec: { unschedulable: true }, ...ready('False') }),
      'NotReady,SchedulingDisabled',
    ],
    [
      'unknown condition only',
      node('foo6', { status: { conditions: [{ type: 'InvalidValue', status: 'True' }] } }),
      'Unknown',
    ],
    ['empty condition', node('foo7', { status: { conditions: [{ type: '', status: '' }] } }), 'Unknown'],
    [
      'unknown and cordoned',
      node('foo8', {
        spec: { unschedulable: true },
        status: { conditions: [{ type: 'InvalidValue', status: 'True' }] },
      }),
      'Unknown,SchedulingDisabled',
    ],
    ['Ready=Unknown reads NotReady', node('foo10', ready('Unknown')), 'NotReady'],
    [
      'last Ready condition wins',
      node('foo11', {
        status: {
          conditions: [
            { type: 'Ready', status: 'True' },
            { type: 'Ready', status: 'False' },
          ],
        },
      }),
      'NotReady',
    ],
  ];
  for (const [what, n, status] of statuses) {
    test(`status: ${what}`, () =>
      assert.deepEqual(head(n), [n.metadata!.name, status, '<none>', '<unknown>', '']));
  }

  // printers_test.go TestPrintNodeRole.
  test('roles from both label forms, sorted', () => {
    const labels = {
      'node-role.kubernetes.io/master': '',
      'node-role.kubernetes.io/control-plane': '',
      'node-role.kubernetes.io/proxy': '',
      'kubernetes.io/role': 'node',
    };
    assert.deepEqual(head(node('foo10', { metadata: { name: 'foo10', labels } })), [
      'foo10',
      'Unknown',
      'control-plane,master,node,proxy',
      '<unknown>',
      '',
    ]);
    assert.deepEqual(
      head(node('foo11', { metadata: { name: 'foo11', labels: { 'kubernetes.io/role': 'node' } } })),
      ['foo11', 'Unknown', 'node', '<unknown>', ''],
    );
    assert.deepEqual(
      head(
        node('foo12', {
          metadata: { name: 'foo12', labels: { 'node-role.kubernetes.io/': '', 'kubernetes.io/role': '' } },
        }),
      ),
      ['foo12', 'Unknown', '<none>', '<unknown>', ''],
    );
  });

  // printers_test.go TestPrintNodeOSImage / KernelVersion / ContainerRuntimeVersion / External-IP / Internal-IP.
  test('wide cells', () => {
    const ext = [{ type: 'ExternalIP', address: '1.1.1.1' }];
    assert.deepEqual(
      wide(node('foo1', { status: { nodeInfo: sysInfo({ osImage: 'fake-os-image' }), addresses: ext } })),
      ['<none>', '1.1.1.1', 'fake-os-image', '<unknown>', '<unknown>'],
    );
    assert.deepEqual(
      wide(
        node('foo2', {
          status: { nodeInfo: sysInfo({ kernelVersion: 'fake-kernel-version' }), addresses: ext },
        }),
      ),
      ['<none>', '1.1.1.1', '<unknown>', 'fake-kernel-version', '<unknown>'],
    );
    assert.deepEqual(
      wide(
        node('foo3', {
          status: { nodeInfo: sysInfo({ containerRuntimeVersion: 'foo://1.2.3' }), addresses: ext },
        }),
      ),
      ['<none>', '1.1.1.1', '<unknown>', '<unknown>', 'foo://1.2.3'],
    );
    assert.deepEqual(
      wide(node('foo4', { status: { addresses: [{ type: 'InternalIP', address: '1.1.1.1' }] } })),
      ['1.1.1.1', '<none>', '<unknown>', '<unknown>', '<unknown>'],
    );
    assert.deepEqual(
      wide(
        node('foo5', {
          status: {
            addresses: [
              { type: 'ExternalIP', address: '2.2.2.2' },
              { type: 'InternalIP', address: '3.3.3.3' },
              { type: 'ExternalIP', address: '4.4.4.4' },
            ],
          },
        }),
      ),
      ['3.3.3.3', '2.2.2.2', '<unknown>', '<unknown>', '<unknown>'],
    );
  });

  test('the podbay node as kubectl shows it', () => {
    const n: Node = {
      metadata: {
        name: 'node1',
        creationTimestamp: ago(3 * DAY),
        labels: { 'node-role.kubernetes.io/control-plane': '' },
      },
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        addresses: [
          { type: 'InternalIP', address: '10.0.2.15' },
          { type: 'Hostname', address: 'node1' },
        ],
        nodeInfo: sysInfo({
          kubeletVersion: 'v1.32.0',
          osImage: 'Debian GNU/Linux 12 (bookworm)',
          kernelVersion: '6.1.0-18-amd64',
          containerRuntimeVersion: 'podbay://0.1.0',
        }),
      },
    };
    assert.deepEqual(nodeTable.row(n, NOW), [
      'node1',
      'Ready',
      'control-plane',
      '3d',
      'v1.32.0',
      '10.0.2.15',
      '<none>',
      'Debian GNU/Linux 12 (bookworm)',
      '6.1.0-18-amd64',
      'podbay://0.1.0',
    ]);
  });
});
