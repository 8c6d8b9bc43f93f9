import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Store } from '../../store/sqlite-store.js';
import type { KubeObject } from '../types.js';
import { qualifiedResource } from '../types.js';
import { createStrategies } from './catalog.js';
import { NOW } from './printers/testing/pod-fixtures.js';

// Contract checks every kind's printer must pass, whatever its columns: run over the catalog,
// so a kind added there is checked here too.
const tableConvertors = Object.fromEntries(
  createStrategies({ store: Store.open({ path: ':memory:' }) }).map((s) => [
    qualifiedResource(s.info),
    s.table,
  ]),
);

describe('tableConvertors', () => {
  const entries = Object.entries(tableConvertors);

  test('covers the kinds kubectl users list', () => {
    assert.deepEqual(Object.keys(tableConvertors).sort(), [
      'clusterrolebindings.rbac.authorization.k8s.io',
      'clusterroles.rbac.authorization.k8s.io',
      'configmaps',
      'controllerrevisions.apps',
      'cronjobs.batch',
      'customresourcedefinitions.apiextensions.k8s.io',
      'daemonsets.apps',
      'deployments.apps',
      'endpoints',
      'endpointslices.discovery.k8s.io',
      'events',
      'horizontalpodautoscalers.autoscaling',
      'ingressclasses.networking.k8s.io',
      'ingresses.networking.k8s.io',
      'jobs.batch',
      'leases.coordination.k8s.io',
      'limitranges',
      'namespaces',
      'networkpolicies.networking.k8s.io',
      'nodes',
      'persistentvolumeclaims',
      'persistentvolumes',
      'poddisruptionbudgets.policy',
      'pods',
      'priorityclasses.scheduling.k8s.io',
      'replicasets.apps',
      'resourcequotas',
      'rolebindings.rbac.authorization.k8s.io',
      'roles.rbac.authorization.k8s.io',
      'secrets',
      'serviceaccounts',
      'services',
      'statefulsets.apps',
      'storageclasses.storage.k8s.io',
    ]);
  });

  for (const [resource, convertor] of entries) {
    describe(resource, () => {
      test('column definitions are well formed', () => {
        const names = convertor.columns.map((c) => c.name);
        assert.equal(new Set(names).size, names.length, 'column names are unique');
        const nameColumns = convertor.columns.filter((c) => c.format === 'name');
        assert.deepEqual(
          nameColumns.map((c) => c.name),
          ['Name'],
          'exactly one name-format column, called Name',
        );
        for (const c of convertor.columns) {
          assert.ok(c.description.length > 0, `${c.name} has a description`);
          assert.ok(c.priority === 0 || c.priority === 1, `${c.name} priority`);
          assert.ok(['string', 'integer', 'number', 'boolean', 'date'].includes(c.type), `${c.name} type`);
          assert.ok(c.format === '' || c.format === 'name', `${c.name} format`);
        }
        // kubectl hides priority-1 columns by default; a wide-only table would print nothing.
        assert.ok(convertor.columns.some((c) => c.priority === 0));
      });

      test('a bare object (metadata only) prints a full row of defined cells', () => {
        const bare: KubeObject = { apiVersion: 'v1', kind: 'X', metadata: { name: 'bare' } };
        const row = convertor.row(bare, NOW);
        assert.equal(row.length, convertor.columns.length);
        for (const [i, cell] of row.entries()) {
          assert.ok(
            ['string', 'number', 'boolean'].includes(typeof cell),
            `${convertor.columns[i]!.name}: ${String(cell)}`,
          );
        }
        const nameIndex = convertor.columns.findIndex((c) => c.format === 'name');
        assert.equal(row[nameIndex], 'bare');
      });

      test('rows are JSON-safe (cells survive serialisation unchanged)', () => {
        const row = convertor.row({ apiVersion: 'v1', kind: 'X', metadata: { name: 'n' } }, NOW);
        assert.deepEqual(JSON.parse(JSON.stringify(row)), row);
      });
    });
  }
});
