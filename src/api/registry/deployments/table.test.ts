import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Deployment } from 'kubernetes-types/apps/v1';
import { ago, NOW, SEC } from '../printers/testing/pod-fixtures.js';
import { deploymentTable } from './table.js';

const deployment = (set: Partial<Deployment> = {}): Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'test1', creationTimestamp: ago(-1.9 * SEC) },
  spec: {
    replicas: 5,
    selector: { matchLabels: { foo: 'bar' } },
    template: {
      spec: {
        containers: [
          { name: 'fake-container1', image: 'fake-image1' },
          { name: 'fake-container2', image: 'fake-image2' },
        ],
      },
    },
  },
  status: { replicas: 10, updatedReplicas: 2, availableReplicas: 1, unavailableReplicas: 4 },
  ...set,
});

describe('deploymentTable', () => {
  test('columns', () => {
    assert.deepEqual(
      deploymentTable.columns.map((c) => [c.name, c.type, c.priority]),
      [
        ['Name', 'string', 0],
        ['Ready', 'string', 0],
        ['Up-to-date', 'string', 0],
        ['Available', 'string', 0],
        ['Age', 'string', 0],
        ['Containers', 'string', 1],
        ['Images', 'string', 1],
        ['Selector', 'string', 1],
      ],
    );
    assert.equal(deploymentTable.columns[1]!.description, 'Number of the pod with ready state');
    assert.equal(
      deploymentTable.columns[2]!.description,
      'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
    );
    assert.equal(deploymentTable.columns[5]!.description, 'Names of each container in the template.');
  });

  // printers_test.go TestPrintDeployment.
  test('ready/desired, up-to-date, available; wide containers, images, selector', () => {
    assert.deepEqual(deploymentTable.row(deployment(), NOW), [
      'test1',
      '0/5',
      2,
      1,
      '0s',
      'fake-container1,fake-container2',
      'fake-image1,fake-image2',
      'foo=bar',
    ]);
  });

  test('a rolled-out deployment', () => {
    const d = deployment({
      status: { replicas: 3, readyReplicas: 3, updatedReplicas: 3, availableReplicas: 3 },
    });
    d.spec!.replicas = 3;
    d.spec!.selector = {
      matchLabels: { app: 'web' },
      matchExpressions: [{ key: 'track', operator: 'In', values: ['stable', 'canary'] }],
    };
    assert.deepEqual(deploymentTable.row(d, NOW), [
      'test1',
      '3/3',
      3,
      3,
      '0s',
      'fake-container1,fake-container2',
      'fake-image1,fake-image2',
      'app=web,track in (canary,stable)',
    ]);
  });

  test('selector: empty prints "", invalid prints <invalid>', () => {
    const empty = deployment();
    empty.spec!.selector = {};
    assert.equal(deploymentTable.row(empty, NOW)[7], '');
    const bad = deployment();
    bad.spec!.selector = { matchExpressions: [{ key: 'a', operator: 'Bogus' }] };
    assert.equal(deploymentTable.row(bad, NOW)[7], '<invalid>');
  });

  test('no status yet; replicas defaulted to 1 when absent', () => {
    const d = deployment({ status: {} });
    delete d.spec!.replicas;
    assert.deepEqual(deploymentTable.row(d, NOW).slice(0, 4), ['test1', '0/1', 0, 0]);
  });
});
