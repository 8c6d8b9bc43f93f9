import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Job } from 'kubernetes-types/batch/v1';
import { jobCompletionsCell, jobStatusCell } from './status-cell.js';
import { jobTable } from './table.js';

const NOW = new Date('2026-01-01T01:00:00Z');
const cond = (type: string, status = 'True') => ({ type, status });

describe('kubectl get jobs (printJob, 1.32)', () => {
  test('columns: Name, Status, Completions, Duration, Age | Containers, Images, Selector', () => {
    assert.deepEqual(
      jobTable.columns.map((c) => `${c.name}:${c.type}:${c.priority}`),
      [
        'Name:string:0',
        'Status:string:0',
        'Completions:string:0',
        'Duration:string:0',
        'Age:string:0',
        'Containers:string:1',
        'Images:string:1',
        'Selector:string:1',
      ],
    );
  });

  test('STATUS precedence: Complete, Failed, Terminating, Suspended, FailureTarget, Running', () => {
    const cases: [Job, string][] = [
      [{ status: { conditions: [cond('SuccessCriteriaMet'), cond('Complete')] } }, 'Complete'],
      [{ status: { conditions: [cond('FailureTarget'), cond('Failed')] } }, 'Failed'],
      [{ metadata: { deletionTimestamp: '2026-01-01T00:00:00Z' }, status: {} }, 'Terminating'],
      [{ status: { conditions: [cond('Suspended')] } }, 'Suspended'],
      [{ status: { conditions: [cond('Suspended', 'False')] } }, 'Running'],
      [{ status: { conditions: [cond('FailureTarget')] } }, 'FailureTarget'],
      [{ status: { conditions: [cond('SuccessCriteriaMet')] } }, 'Running'],
      [{}, 'Running'],
    ];
    for (const [job, want] of cases) assert.equal(jobStatusCell(job), want, JSON.stringify(job));
  });

  test('COMPLETIONS: succeeded/completions, or /1 and "of parallelism" without completions', () => {
    assert.equal(
      jobCompletionsCell({ spec: { completions: 3, template: {} }, status: { succeeded: 2 } }),
      '2/3',
    );
    assert.equal(jobCompletionsCell({ spec: { parallelism: 1, template: {} } }), '0/1');
    assert.equal(
      jobCompletionsCell({ spec: { parallelism: 4, template: {} }, status: { succeeded: 1 } }),
      '1/1 of 4',
    );
  });

  test('a row: duration from start to completion, or to now while running; empty before start', () => {
    const base: Job = {
      metadata: { name: 'pi', creationTimestamp: '2026-01-01T00:00:00Z' },
      spec: {
        completions: 1,
        selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } },
        template: { spec: { containers: [{ name: 'pi', image: 'busybox' }] } },
      },
    };
    const done: Job = {
      ...base,
      status: {
        succeeded: 1,
        startTime: '2026-01-01T00:00:01Z',
        completionTime: '2026-01-01T00:00:08Z',
        conditions: [cond('Complete')],
      },
    };
    assert.deepEqual(jobTable.row(done, NOW), [
      'pi',
      'Complete',
      '1/1',
      '7s',
      '60m',
      'pi',
      'busybox',
      'batch.kubernetes.io/controller-uid=u1',
    ]);
    const running: Job = { ...base, status: { startTime: '2026-01-01T00:58:00Z' } };
    assert.equal(jobTable.row(running, NOW)[3], '2m');
    assert.equal(jobTable.row(base, NOW)[3], '');
  });
});
