import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { StatefulSet } from 'kubernetes-types/apps/v1';
import { type FieldError, formatFieldError } from '../../validation/field.js';
import { NOW } from '../printers/testing/pod-fixtures.js';
import { defaultStatefulSet } from './defaults.js';
import { statefulSetTable } from './table.js';
import { validateStatefulSet, validateStatefulSetUpdate } from './validation.js';

const msgs = (errs: FieldError[]): string[] => errs.map(formatFieldError);

function sts(patch: (s: StatefulSet) => void = () => {}): StatefulSet {
  const s: StatefulSet = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      serviceName: 'nginx',
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'c', image: 'nginx' }] },
      },
    },
  };
  patch(s);
  defaultStatefulSet(s);
  return s;
}

describe('defaultStatefulSet', () => {
  test('as SetDefaults_StatefulSet in 1.32', () => {
    const s = sts();
    assert.equal(s.spec!.replicas, 1);
    assert.equal(s.spec!.podManagementPolicy, 'OrderedReady');
    assert.deepEqual(s.spec!.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    assert.deepEqual(s.spec!.persistentVolumeClaimRetentionPolicy, {
      whenDeleted: 'Retain',
      whenScaled: 'Retain',
    });
    assert.equal(s.spec!.revisionHistoryLimit, 10);
  });
  test('an explicit RollingUpdate without rollingUpdate stays so; OnDelete gets none', () => {
    const r = sts((s) => {
      s.spec!.updateStrategy = { type: 'RollingUpdate' };
    });
    assert.deepEqual(r.spec!.updateStrategy, { type: 'RollingUpdate' });
    const o = sts((s) => {
      s.spec!.updateStrategy = { type: 'OnDelete' };
    });
    assert.deepEqual(o.spec!.updateStrategy, { type: 'OnDelete' });
  });
});

describe('validateStatefulSet', () => {
  test('valid', () => assert.deepEqual(validateStatefulSet(sts()), []));
  test('volumeMounts may name volumeClaimTemplates (each pod gets them as volumes)', () => {
    const withMount = (templates: boolean) =>
      validateStatefulSet(
        sts((s) => {
          s.spec!.template.spec!.containers[0]!.volumeMounts = [{ name: 'data', mountPath: '/data' }];
          if (templates)
            s.spec!.volumeClaimTemplates = [
              {
                metadata: { name: 'data' },
                spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
              },
            ];
        }),
      );
    assert.deepEqual(withMount(true), []);
    assert.deepEqual(msgs(withMount(false)), [
      'spec.template.spec.containers[0].volumeMounts[0].name: Not found: "data"',
    ]);
  });
  const cases: [string, (s: StatefulSet) => void, string[]][] = [
    [
      'selector does not match',
      (s) => {
        s.spec!.template.metadata!.labels = { app: 'x' };
      },
      [
        'spec.template.metadata.labels: Invalid value: {"app":"x"}: `selector` does not match template `labels`',
      ],
    ],
    [
      'empty selector',
      (s) => {
        s.spec!.selector = {};
      },
      ['spec.selector: Invalid value: {}: empty selector is invalid for statefulset'],
    ],
    [
      'podManagementPolicy',
      (s) => {
        s.spec!.podManagementPolicy = 'Whenever';
      },
      ["spec.podManagementPolicy: Invalid value: \"Whenever\": must be 'OrderedReady' or 'Parallel'"],
    ],
    [
      'OnDelete with rollingUpdate',
      (s) => {
        s.spec!.updateStrategy = { type: 'OnDelete', rollingUpdate: { partition: 1 } };
      },
      [
        'spec.updateStrategy.rollingUpdate: Invalid value: {"partition":1}: only allowed for updateStrategy \'RollingUpdate\'',
      ],
    ],
    [
      'negative partition and replicas',
      (s) => {
        s.spec!.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: -1 } };
        s.spec!.replicas = -3;
      },
      [
        'spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0',
        'spec.replicas: Invalid value: -3: must be greater than or equal to 0',
      ],
    ],
    [
      'retention policy',
      (s) => {
        s.spec!.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Keep' };
      },
      [
        'spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete"',
      ],
    ],
    [
      'restartPolicy',
      (s) => {
        s.spec!.template.spec!.restartPolicy = 'Never';
      },
      ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    ],
  ];
  for (const [name, patch, want] of cases)
    test(name, () => assert.deepEqual(msgs(validateStatefulSet(sts(patch))), want));
});

describe('validateStatefulSetUpdate', () => {
  test('replicas, template, updateStrategy may change; serviceName may not', () => {
    const old = sts();
    const ok = structuredClone(old);
    ok.spec!.replicas = 5;
    ok.spec!.template.spec!.containers[0]!.image = 'nginx:2';
    ok.spec!.updateStrategy = { type: 'OnDelete' };
    assert.deepEqual(validateStatefulSetUpdate(ok, old), []);
    const bad = structuredClone(old);
    bad.spec!.serviceName = 'other';
    assert.deepEqual(msgs(validateStatefulSetUpdate(bad, old)), [
      "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ]);
  });
});

describe('statefulSetTable', () => {
  test('Name, Ready ready/desired, Age | Containers, Images (printers.go printStatefulSet)', () => {
    assert.deepEqual(
      statefulSetTable.columns.map((c) => [c.name, c.priority]),
      [
        ['Name', 0],
        ['Ready', 0],
        ['Age', 0],
        ['Containers', 1],
        ['Images', 1],
      ],
    );
    const s = sts((x) => {
      x.spec!.replicas = 3;
    });
    (s as { status?: unknown }).status = { replicas: 3, readyReplicas: 2 };
    const row = statefulSetTable.row(s, NOW);
    assert.deepEqual([row[0], row[1], row[3], row[4]], ['web', '2/3', 'c', 'nginx']);
  });
});
