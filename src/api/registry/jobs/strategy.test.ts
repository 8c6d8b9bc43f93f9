/**
 * The Job strategy through the real registry: upstream's defaults, the generated selector and
 * labels, and ValidateJob / ValidateJobUpdate messages as kubectl prints them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Job } from 'kubernetes-types/batch/v1';
import type { Store } from '../../../store/sqlite-store.js';
import { openTestRegistry } from '../../testing/registry.js';
import type { KubeObject } from '../../types.js';
import type { Registry } from '../registry.js';

type JobObj = Job & KubeObject;

const job = (
  name: string,
  spec: Partial<NonNullable<Job['spec']>> = {},
  restartPolicy = 'Never',
): JobObj => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, namespace: 'default' },
  spec: {
    template: { spec: { restartPolicy, containers: [{ name: 'c', image: 'busybox' }] } },
    ...spec,
  },
});

describe('jobs strategy (registry)', () => {
  let store: Store;
  let registry: Registry;
  before(() => {
    ({ store, registry } = openTestRegistry());
  });
  after(() => store.close());

  const invalid = (obj: JobObj): string => {
    try {
      registry.create('jobs', obj);
    } catch (e) {
      return (e as Error).message;
    }
    return 'created';
  };

  test('defaults and the generated selector, as a 1.32 server stores a new Job', () => {
    const j = registry.create<JobObj>('jobs', job('pi'));
    const uid = j.metadata.uid!;
    const labels = {
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': 'pi',
      'controller-uid': uid,
      'job-name': 'pi',
    };
    assert.deepEqual(j.spec?.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    assert.deepEqual(j.spec?.template.metadata?.labels, labels);
    assert.deepEqual(j.metadata.labels, labels, 'the Job takes its template labels');
    assert.deepEqual(
      [
        j.spec?.completions,
        j.spec?.parallelism,
        j.spec?.backoffLimit,
        j.spec?.completionMode,
        j.spec?.suspend,
      ],
      [1, 1, 6, 'NonIndexed', false],
    );
    assert.equal(j.spec?.podReplacementPolicy, 'TerminatingOrFailed');
    assert.equal(j.spec?.manualSelector, undefined);
    assert.equal(j.metadata.generation, 1);
    assert.equal(j.status, undefined, 'status is the controller’s');
  });

  test('parallelism alone leaves completions unset', () => {
    const j = registry.create<JobObj>('jobs', job('work-queue', { parallelism: 3 }));
    assert.deepEqual([j.spec?.completions, j.spec?.parallelism], [undefined, 3]);
  });

  test('manualSelector keeps the user selector and labels', () => {
    const j = registry.create<JobObj>(
      'jobs',
      job('manual', {
        manualSelector: true,
        selector: { matchLabels: { app: 'x' } },
        template: {
          metadata: { labels: { app: 'x' } },
          spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] },
        },
      }),
    );
    assert.deepEqual(j.spec?.selector, { matchLabels: { app: 'x' } });
    assert.deepEqual(j.spec?.template.metadata?.labels, { app: 'x' });
    assert.match(
      invalid(
        job('manual-bad', {
          manualSelector: true,
          selector: { matchLabels: { app: 'y' } },
          template: {
            metadata: { labels: { app: 'x' } },
            spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] },
          },
        }),
      ),
      /spec\.template\.metadata\.labels: Invalid value: .*: `selector` does not match template `labels`/,
    );
  });

  test('restartPolicy must be OnFailure or Never', () => {
    assert.match(
      invalid(job('always', {}, 'Always')),
      /spec\.template\.spec\.restartPolicy: Required value: valid values: "OnFailure", "Never"/,
    );
  });

  test('negative counts are refused, naming the field', () => {
    const msg = invalid(job('neg', { parallelism: -1, backoffLimit: -2, activeDeadlineSeconds: -3 }));
    assert.match(msg, /^Job\.batch "neg" is invalid: \[/);
    assert.match(msg, /spec\.parallelism: Invalid value: -1: must be greater than or equal to 0/);
    assert.match(msg, /spec\.backoffLimit: Invalid value: -2: must be greater than or equal to 0/);
    assert.match(msg, /spec\.activeDeadlineSeconds: Invalid value: -3: must be greater than or equal to 0/);
  });

  test('completionMode: only NonIndexed / Indexed; managedBy is refused by name', () => {
    assert.match(
      invalid(job('mode', { completionMode: 'Sometimes' })),
      /spec\.completionMode: Unsupported value: "Sometimes": supported values: "NonIndexed", "Indexed"/,
    );
    assert.equal(
      invalid(job('idx', { completionMode: 'Indexed', completions: 3, parallelism: 2 })),
      'created',
    );
    assert.match(
      invalid(job('idx-nocomp', { completionMode: 'Indexed', parallelism: 2 })),
      /spec\.completions: Required value: when completion mode is Indexed/,
    );
    // 1.32 has no cap on an Indexed Job's completions (only with backoffLimitPerIndex, above 100000).
    assert.equal(
      invalid(job('idx-big', { completionMode: 'Indexed', completions: 100_001, parallelism: 1 })),
      'created',
    );
    assert.match(
      invalid(job('idx-par', { completionMode: 'Indexed', completions: 2, parallelism: 100_001 })),
      /spec\.parallelism: Invalid value: 100001: must be less than or equal to 100000 when completion mode is Indexed/,
    );
    assert.match(
      invalid(job('mb', { managedBy: 'example.com/x' })),
      /spec\.managedBy: Forbidden: podbay's Job controller does not implement this field/,
    );
  });

  test('podFailurePolicy: upstream validatePodFailurePolicy messages; defaults', () => {
    const ok = registry.create<JobObj>(
      'jobs',
      job('pfp-ok', {
        podFailurePolicy: {
          rules: [
            { action: 'FailJob', onExitCodes: { containerName: 'c', operator: 'In', values: [42] } },
            { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' } as never] },
          ],
        },
      }),
    );
    assert.equal(ok.spec?.podReplacementPolicy, 'Failed');
    assert.equal(ok.spec?.podFailurePolicy?.rules[1]?.onPodConditions?.[0]?.status, 'True');
    const msg = invalid(
      job('pfp-bad', {
        podFailurePolicy: {
          rules: [
            { action: 'FailIndex', onExitCodes: { operator: 'In', values: [0, 3, 3, 1] } },
            { action: 'Bogus', onExitCodes: { containerName: 'nope', operator: 'Within', values: [] } },
            { action: '', onPodConditions: [{ type: 'bad type!', status: 'Maybe' }] },
            { action: 'Count' } as never,
            {
              action: 'Ignore',
              onExitCodes: { operator: 'NotIn', values: [1] },
              onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }],
            },
          ],
        },
      }),
    );
    const p = 'spec.podFailurePolicy.rules';
    for (const want of [
      `${p}[0].action: Invalid value: "FailIndex": requires the backoffLimitPerIndex to be set`,
      `${p}[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator`,
      `${p}[0].onExitCodes.values[2]: Duplicate value: 3`,
      `${p}[0].onExitCodes.values: Invalid value: []int32{0, 3, 3, 1}: must be ordered`,
      `${p}[1].action: Unsupported value: "Bogus": supported values: "Count", "FailIndex", "FailJob", "Ignore"`,
      `${p}[1].onExitCodes.operator: Unsupported value: "Within": supported values: "In", "NotIn"`,
      `${p}[1].onExitCodes.containerName: Invalid value: "nope": must be one of the container or initContainer names in the pod template`,
      `${p}[1].onExitCodes.values: Invalid value: []int32{}: at least one value is required`,
      `${p}[2].action: Required value: valid values: ["Count" "FailIndex" "FailJob" "Ignore"]`,
      `${p}[2].onPodConditions[0].type: Invalid value: "bad type!"`,
      `${p}[2].onPodConditions[0].status: Unsupported value: "Maybe": supported values: "False", "True", "Unknown"`,
      `${p}[3]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required`,
      `${p}[4]: Invalid value: specifying both OnExitCodes and OnPodConditions is not supported`,
    ])
      assert.ok(msg.includes(want), `${want}\n in ${msg}`);
    assert.match(
      invalid(
        job(
          'pfp-onfailure',
          {
            podFailurePolicy: { rules: [{ action: 'Count', onExitCodes: { operator: 'In', values: [1] } }] },
          },
          'OnFailure',
        ),
      ),
      /spec\.template\.spec\.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified/,
    );
    assert.match(
      invalid(
        job('pfp-many', {
          podFailurePolicy: {
            rules: Array.from({ length: 21 }, () => ({
              action: 'Count',
              onExitCodes: { operator: 'In', values: [1] },
            })),
          },
        }),
      ),
      /spec\.podFailurePolicy\.rules: Too many: 21: must have at most 20 items/,
    );
  });

  test('backoffLimitPerIndex / maxFailedIndexes: Indexed only, defaults backoffLimit to MaxInt32', () => {
    const j = registry.create<JobObj>(
      'jobs',
      job('bpi', { completionMode: 'Indexed', completions: 4, backoffLimitPerIndex: 1, maxFailedIndexes: 2 }),
    );
    assert.equal(j.spec?.backoffLimit, 2_147_483_647);
    assert.match(
      invalid(job('bpi-ni', { backoffLimitPerIndex: 1, maxFailedIndexes: 1 })),
      /\[spec\.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode, spec\.maxFailedIndexes: Invalid value: 1: requires indexed completion mode\]/,
    );
    assert.match(
      invalid(job('mfi', { completionMode: 'Indexed', completions: 2, maxFailedIndexes: 3 })),
      /\[spec\.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified, spec\.maxFailedIndexes: Invalid value: 3: must be less than or equal to completions\]/,
    );
    assert.match(
      invalid(job('bpi-neg', { completionMode: 'Indexed', completions: 2, backoffLimitPerIndex: -1 })),
      /spec\.backoffLimitPerIndex: Invalid value: -1: must be greater than or equal to 0/,
    );
    assert.match(
      invalid(
        job('bpi-high', {
          completionMode: 'Indexed',
          completions: 100_001,
          parallelism: 10_001,
          backoffLimitPerIndex: 1,
        }),
      ),
      /\[spec\.maxFailedIndexes: Required value: must be specified when completions is above 100000, spec\.parallelism: Invalid value: 10001: must be less than or equal to 10000 when completions are above 100000 and used with backoff limit per index\]/,
    );
    const changed = structuredClone(j);
    changed.spec!.backoffLimitPerIndex = 2;
    assert.throws(
      () => registry.update('jobs', changed),
      /spec\.backoffLimitPerIndex: Invalid value: 2: field is immutable/,
    );
  });

  test('successPolicy: Indexed only, rules as upstream validateSuccessPolicy', () => {
    assert.equal(
      invalid(
        job('sp-ok', {
          completionMode: 'Indexed',
          completions: 5,
          successPolicy: { rules: [{ succeededIndexes: '0,2-3', succeededCount: 2 }, { succeededCount: 5 }] },
        }),
      ),
      'created',
    );
    assert.match(
      invalid(job('sp-ni', { successPolicy: { rules: [{ succeededCount: 1 }] } })),
      /spec\.successPolicy: Invalid value: batch\.SuccessPolicy\{Rules:\[\]batch\.SuccessPolicyRule\{batch\.SuccessPolicyRule\{SucceededIndexes:\(\*string\)\(nil\), SucceededCount:\(\*int32\)\(0xc[0-9a-f]+\)\}\}\}: requires indexed completion mode/,
    );
    assert.match(
      invalid(job('sp-empty', { completionMode: 'Indexed', completions: 2, successPolicy: { rules: [] } })),
      /spec\.successPolicy\.rules: Required value: at least one rules must be specified when the successPolicy is specified/,
    );
    const msg = invalid(
      job('sp-bad', {
        completionMode: 'Indexed',
        completions: 5,
        successPolicy: {
          rules: [
            {},
            { succeededIndexes: '1-3,2' },
            { succeededIndexes: '0-9' },
            { succeededIndexes: '1,3', succeededCount: 3 },
            { succeededCount: 6 },
          ],
        },
      }),
    );
    const p = 'spec.successPolicy.rules';
    for (const want of [
      `${p}[0]: Required value: at least one of succeededCount or succeededIndexes must be specified`,
      `${p}[1].succeededIndexes: Invalid value: "1-3,2": error parsing succeededIndexes: non-increasing order, previous: 3, current: 2`,
      `${p}[2].succeededIndexes: Invalid value: "0-9": error parsing succeededIndexes: too large index: "9"`,
      `${p}[3].succeededCount: Invalid value: 3: must be less than or equal to 2 (the number of indexes in the specified succeededIndexes field)`,
      `${p}[4].succeededCount: Invalid value: 6: must be less than or equal to 5 (the number of specified completions)`,
    ])
      assert.ok(msg.includes(want), `${want}\n in ${msg}`);
  });

  test('update: selector, completions and (unless suspended) template are immutable', () => {
    const j = registry.create<JobObj>('jobs', job('imm'));
    const changed = structuredClone(j);
    changed.spec!.completions = 5;
    changed.spec!.template.spec!.containers[0]!.image = 'nginx';
    let msg = '';
    try {
      registry.update('jobs', changed);
    } catch (e) {
      msg = (e as Error).message;
    }
    assert.match(msg, /spec\.completions: Invalid value: 5: field is immutable/);
    assert.match(msg, /spec\.template: Invalid value: .*: field is immutable/);
    const suspendable = registry.create<JobObj>('jobs', job('sus', { suspend: true }));
    const edited = structuredClone(suspendable);
    edited.spec!.template.spec!.containers[0]!.image = 'nginx';
    assert.equal(
      registry.update<JobObj>('jobs', edited).spec?.template.spec?.containers[0]?.image,
      'nginx',
      'a suspended Job may change its template',
    );
  });

  test('a tampered generated selector is refused', () => {
    const j = registry.create<JobObj>('jobs', job('tamper'));
    const changed = structuredClone(j);
    changed.spec!.template.metadata!.labels!['batch.kubernetes.io/controller-uid'] = 'other';
    assert.throws(
      () => registry.update('jobs', changed),
      /spec\.template\.metadata\.labels\[batch\.kubernetes\.io\/controller-uid\]: Invalid value: "other": must be/,
    );
  });
});
