import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Deployment } from 'kubernetes-types/apps/v1';
import { type FieldError, formatFieldError, invalid } from '../../validation/field.js';
import { validateScale } from '../../validation/scale.js';
import { defaultDeployment } from './defaults.js';
import { validateDeployment, validateDeploymentUpdate } from './validation.js';

const msgs = (errs: FieldError[]): string[] => errs.map(formatFieldError);

function deployment(patch: (d: Deployment) => void = () => {}): Deployment {
  const d: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
      },
    },
  };
  patch(d);
  defaultDeployment(d);
  return d;
}

describe('validateDeployment', () => {
  test('valid', () => assert.deepEqual(validateDeployment(deployment()), []));

  test('selector does not match template labels (kubectl message)', () => {
    const errs = validateDeployment(
      deployment((d) => {
        d.spec!.template.metadata!.labels = { app: 'api' };
      }),
    );
    assert.deepEqual(msgs(errs), [
      'spec.template.metadata.labels: Invalid value: {"app":"api"}: `selector` does not match template `labels`',
    ]);
    assert.equal(
      invalid('apps', 'Deployment', 'web', errs).message,
      'Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: {"app":"api"}: `selector` does not match template `labels`',
    );
  });

  const cases: [string, (d: Deployment) => void, string[]][] = [
    [
      'missing selector',
      (d) => {
        delete (d.spec as { selector?: unknown }).selector;
      },
      ['spec.selector: Required value'],
    ],
    [
      'empty selector',
      (d) => {
        d.spec!.selector = {};
      },
      ['spec.selector: Invalid value: {}: empty selector is invalid for deployment'],
    ],
    [
      'negative replicas',
      (d) => {
        d.spec!.replicas = -1;
      },
      ['spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
    ],
    [
      'template restartPolicy must be Always',
      (d) => {
        d.spec!.template.spec!.restartPolicy = 'Never';
      },
      ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    ],
    [
      'container image required in the template',
      (d) => {
        d.spec!.template.spec!.containers[0]!.image = '';
      },
      ['spec.template.spec.containers[0].image: Required value'],
    ],
    [
      'maxSurge and maxUnavailable both 0',
      (d) => {
        d.spec!.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } };
      },
      ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0'],
    ],
    [
      'percentages',
      (d) => {
        d.spec!.strategy = {
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: 'lots', maxUnavailable: '150%' },
        };
      },
      [
        "spec.strategy.rollingUpdate.maxSurge: Invalid value: \"lots\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%',
      ],
    ],
    [
      'Recreate with rollingUpdate',
      (d) => {
        d.spec!.strategy = { type: 'Recreate', rollingUpdate: { maxSurge: 1 } };
      },
      ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
    ],
    [
      'progress deadline must exceed minReadySeconds',
      (d) => {
        d.spec!.minReadySeconds = 700;
      },
      ['spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds'],
    ],
  ];
  for (const [name, patch, want] of cases)
    test(name, () => assert.deepEqual(msgs(validateDeployment(deployment(patch))), want));
});

describe('validateDeploymentUpdate', () => {
  const stored = (): Deployment => {
    const d = deployment();
    d.metadata = { ...d.metadata, resourceVersion: '3', uid: 'u' };
    return d;
  };
  test('scaling and changing the image are fine', () => {
    const old = stored();
    const next = structuredClone(old);
    next.spec!.replicas = 5;
    next.spec!.template.spec!.containers[0]!.image = 'nginx:1.28';
    assert.deepEqual(validateDeploymentUpdate(next, old), []);
  });
  test('the selector is immutable in apps/v1', () => {
    const old = stored();
    const next = structuredClone(old);
    next.spec!.selector = { matchLabels: { app: 'web', tier: 'fe' } };
    next.spec!.template.metadata!.labels = { app: 'web', tier: 'fe' };
    assert.deepEqual(msgs(validateDeploymentUpdate(next, old)), [
      'spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"fe"}}: field is immutable',
    ]);
  });
});

describe('validateScale', () => {
  test('replicas >= 0', () => {
    const scale = { metadata: { name: 'web', namespace: 'default' }, spec: { replicas: -2 } };
    const errs = validateScale(scale);
    assert.deepEqual(msgs(errs), ['spec.replicas: Invalid value: -2: must be greater than or equal to 0']);
    assert.equal(
      invalid('autoscaling', 'Scale', 'web', errs).message,
      'Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -2: must be greater than or equal to 0',
    );
    assert.deepEqual(validateScale({ ...scale, spec: { replicas: 0 } }), []);
  });
});
