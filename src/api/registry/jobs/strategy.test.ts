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

  test('completionMode: only NonIndexed / Indexed; the policies podbay lacks are refused by name', () => {
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
    assert.match(
      invalid(job('idx-big', { completionMode: 'Indexed', completions: 100_001, parallelism: 1 })),
      /spec\.completions: Invalid value: 100001: must be less than or equal to 100000 when completion mode is Indexed/,
    );
    assert.match(
      invalid(job('bpi', { completionMode: 'Indexed', completions: 2, backoffLimitPerIndex: 1 })),
      /spec\.backoffLimitPerIndex: Forbidden: podbay's Job controller does not implement this field/,
    );
    assert.match(
      invalid(job('sp', { completionMode: 'Indexed', completions: 2, successPolicy: { rules: [] } })),
      /spec\.successPolicy: Forbidden: podbay's Job controller does not implement this field/,
    );
    assert.match(
      invalid(job('pfp', { podFailurePolicy: { rules: [] } })),
      /spec\.podFailurePolicy: Forbidden: podbay's Job controller does not implement this field/,
    );
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
