import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '@podbay/test-support';
import { openTestRegistry, type TestRegistry } from '../testing/registry.js';
import type { KubeObject } from '../types.js';
import { CustomResourceServing } from './serving.js';

const crd = (plural: string, group: string, kind: string): KubeObject => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${plural}.${group}` },
  spec: {
    group,
    scope: 'Namespaced',
    names: { plural, kind },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object' } } } },
      },
    ],
  },
});

describe('CustomResourceServing', () => {
  let t: TestRegistry;
  let serving: CustomResourceServing;
  before(() => {
    t = openTestRegistry();
    serving = new CustomResourceServing({ registry: t.registry, clock: { now: () => new Date() } });
    serving.start();
  });
  after(() => {
    serving.stop();
    t.store.close();
  });

  test('an established CRD is served; its deletion deletes the objects, then the CRD', async () => {
    t.registry.create('customresourcedefinitions', crd('widgets', 'example.com', 'Widget'));
    await waitFor('widgets served', () => t.registry.strategies().some((s) => s.info.resource === 'widgets'));
    const w = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' } };
    t.registry.create('widgets', structuredClone(w));
    t.registry.delete('customresourcedefinitions', '', 'widgets.example.com');
    await waitFor(
      'the CRD gone',
      () => !t.registry.getStored('customresourcedefinitions', '', 'widgets.example.com'),
    );
    assert.equal(t.store.list('widgets').length, 0);
    assert.ok(!t.registry.strategies().some((s) => s.info.resource === 'widgets'));
  });

  test('a CRD waits for objects that hold finalizers, Terminating, and refuses new ones meanwhile', async () => {
    t.registry.create('customresourcedefinitions', crd('gadgets', 'example.com', 'Gadget'));
    await waitFor('gadgets served', () => t.registry.strategies().some((s) => s.info.resource === 'gadgets'));
    const g = (name: string, finalizers?: string[]) => ({
      apiVersion: 'example.com/v1',
      kind: 'Gadget',
      metadata: { name, namespace: 'default', ...(finalizers && { finalizers }) },
    });
    t.registry.create('gadgets', g('held', ['example.com/hold']));
    t.registry.delete('customresourcedefinitions', '', 'gadgets.example.com');
    await waitFor(
      'the object terminating',
      () => !!t.registry.getStored('gadgets', 'default', 'held')?.object.metadata.deletionTimestamp,
    );
    const conds = (
      t.registry.mustGet('customresourcedefinitions', '', 'gadgets.example.com').object.status as {
        conditions: { type: string; reason: string }[];
      }
    ).conditions;
    assert.equal(conds.find((c) => c.type === 'Terminating')?.reason, 'InstanceDeletionInProgress');
    assert.throws(() => t.registry.create('gadgets', g('new')), {
      code: 405,
      message: 'create not allowed while custom resource definition is terminating',
    });
    const held = structuredClone(t.registry.mustGet('gadgets', 'default', 'held').object);
    held.metadata.finalizers = [];
    t.registry.updateIn('gadgets', 'default', 'held', held, false);
    await waitFor(
      'the CRD gone',
      () => !t.registry.getStored('customresourcedefinitions', '', 'gadgets.example.com'),
    );
  });

  test('a plural a built-in kind has is not served (objects are stored by plural)', async () => {
    t.registry.create('customresourcedefinitions', crd('pods', 'example.com', 'Pod'));
    await new Promise((r) => setImmediate(r));
    const pods = t.registry.strategies().filter((s) => s.info.resource === 'pods');
    assert.deepEqual(
      pods.map((s) => s.info.group),
      [''],
    );
    t.registry.delete('customresourcedefinitions', '', 'pods.example.com');
    await waitFor(
      'the CRD gone',
      () => !t.registry.getStored('customresourcedefinitions', '', 'pods.example.com'),
    );
  });
});
