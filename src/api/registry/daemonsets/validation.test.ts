import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DaemonSet } from 'kubernetes-types/apps/v1';
import { type FieldError, formatFieldError, invalid } from '../../validation/field.js';
import { defaultDaemonSet } from './defaults.js';
import { prepareDaemonSetForCreate, prepareDaemonSetForUpdate } from './template-generation.js';
import { validateDaemonSet, validateDaemonSetUpdate } from './validation.js';

const msgs = (errs: FieldError[]): string[] => errs.map(formatFieldError);

function daemonSet(patch: (d: DaemonSet) => void = () => {}): DaemonSet {
  const d: DaemonSet = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: {
        metadata: { labels: { app: 'agent' } },
        spec: { containers: [{ name: 'c', image: 'busybox' }] },
      },
    },
  };
  patch(d);
  defaultDaemonSet(d);
  return d;
}

describe('defaultDaemonSet', () => {
  test('RollingUpdate with maxUnavailable 1 and maxSurge 0, revisionHistoryLimit 10', () => {
    const d = daemonSet();
    assert.deepEqual(d.spec!.updateStrategy, {
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
    });
    assert.equal(d.spec!.revisionHistoryLimit, 10);
    assert.equal(d.spec!.template.spec!.restartPolicy, 'Always');
  });
  test('OnDelete gets no rollingUpdate', () => {
    const d = daemonSet((x) => {
      x.spec!.updateStrategy = { type: 'OnDelete' };
    });
    assert.deepEqual(d.spec!.updateStrategy, { type: 'OnDelete' });
  });
});

describe('validateDaemonSet', () => {
  test('valid', () => assert.deepEqual(validateDaemonSet(daemonSet()), []));
  test('selector does not match template labels (whole message)', () => {
    const errs = validateDaemonSet(
      daemonSet((d) => {
        d.spec!.template.metadata!.labels = { app: 'other' };
      }),
    );
    assert.equal(
      invalid('apps', 'DaemonSet', 'agent', errs).message,
      'DaemonSet.apps "agent" is invalid: spec.template.metadata.labels: Invalid value: {"app":"other"}: `selector` does not match template `labels`',
    );
  });
  const cases: [string, (d: DaemonSet) => void, string[]][] = [
    [
      'missing selector: nothing matches',
      (d) => {
        delete (d.spec as { selector?: unknown }).selector;
      },
      [
        'spec.template.metadata.labels: Invalid value: {"app":"agent"}: `selector` does not match template `labels`',
      ],
    ],
    [
      'empty selector',
      (d) => {
        d.spec!.selector = {};
      },
      ['spec.selector: Invalid value: {}: empty selector is invalid for daemonset'],
    ],
    [
      'restartPolicy must be Always',
      (d) => {
        d.spec!.template.spec!.restartPolicy = 'OnFailure';
      },
      ['spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"'],
    ],
    [
      'activeDeadlineSeconds',
      (d) => {
        d.spec!.template.spec!.activeDeadlineSeconds = 10;
      },
      ['spec.template.spec.activeDeadlineSeconds: Invalid value: 10: must not be specified'],
    ],
    [
      'maxUnavailable and maxSurge both non-zero',
      (d) => {
        d.spec!.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } };
      },
      [
        'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero',
      ],
    ],
    [
      'maxUnavailable and maxSurge both zero',
      (d) => {
        d.spec!.updateStrategy = {
          type: 'RollingUpdate',
          rollingUpdate: { maxUnavailable: 0, maxSurge: '0%' },
        };
      },
      ['spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0'],
    ],
    [
      'percentages over 100%',
      (d) => {
        d.spec!.updateStrategy = {
          type: 'RollingUpdate',
          rollingUpdate: { maxUnavailable: 0, maxSurge: '120%' },
        };
      },
      ['spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: "120%": must not be greater than 100%'],
    ],
    [
      'unknown strategy type',
      (d) => {
        d.spec!.updateStrategy = { type: 'Recreate' };
      },
      [
        'spec.updateStrategy: Unsupported value: {"type":"Recreate"}: supported values: "RollingUpdate", "OnDelete"',
      ],
    ],
    [
      'negative minReadySeconds and revisionHistoryLimit',
      (d) => {
        d.spec!.minReadySeconds = -1;
        d.spec!.revisionHistoryLimit = -2;
      },
      [
        'spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0',
        'spec.revisionHistoryLimit: Invalid value: -2: must be greater than or equal to 0',
      ],
    ],
  ];
  for (const [name, patch, want] of cases)
    test(name, () => assert.deepEqual(msgs(validateDaemonSet(daemonSet(patch))), want));
});

describe('validateDaemonSetUpdate', () => {
  test('the selector is immutable', () => {
    const old = daemonSet();
    const next = structuredClone(old);
    next.spec!.selector = { matchLabels: { app: 'agent', tier: 'x' } };
    assert.deepEqual(msgs(validateDaemonSetUpdate(next, old)), [
      'spec.selector: Invalid value: {"matchLabels":{"app":"agent","tier":"x"}}: field is immutable',
    ]);
  });
});

describe('template generation annotation', () => {
  const gen = (d: DaemonSet) => d.metadata?.annotations?.['deprecated.daemonset.template.generation'];
  test('1 on create; +1 only when the template changes', () => {
    const created = daemonSet();
    prepareDaemonSetForCreate(created);
    assert.equal(gen(created), '1');
    const relabelled = structuredClone(created);
    relabelled.metadata!.labels = { x: 'y' };
    delete relabelled.metadata!.annotations;
    relabelled.spec!.minReadySeconds = 5;
    prepareDaemonSetForUpdate(relabelled, created);
    assert.equal(gen(relabelled), '1');
    const changed = structuredClone(relabelled);
    changed.spec!.template.spec!.containers[0]!.image = 'busybox:2';
    prepareDaemonSetForUpdate(changed, relabelled);
    assert.equal(gen(changed), '2');
  });
  test('an undefaulted but equal template (kubectl replace) is no change', () => {
    const created = daemonSet();
    prepareDaemonSetForCreate(created);
    const raw: DaemonSet = {
      metadata: { name: 'agent' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: {
          metadata: { labels: { app: 'agent' } },
          spec: { containers: [{ name: 'c', image: 'busybox' }] },
        },
      },
    };
    prepareDaemonSetForUpdate(raw, created);
    assert.equal(gen(raw), '1');
  });
});
