/**
 * batch/v1 bodies. `kubectl create job` and `kubectl create cronjob` send protobuf; the
 * batch e2e suite (src/controllers/job/jobs.e2e.test.ts) sends them to a real server. Here the
 * bodies are written by hand from upstream's batch/v1 generated.proto field numbers, and the
 * expected JSON from the Go structs' json tags (pointer fields keep their zero values; fields
 * absent from the wire stay absent, as the decoder does for every kind), independently of the
 * generated tables the decoder reads.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeKubernetesProtobuf } from './decode.js';
import { kindSchema } from './kinds.js';
import { envelope, timestamp } from './testing/proto-writer.js';

/** 2026-11-25T08:00:13Z */
const T = 1795593613;

describe('batch/v1', () => {
  test('Job, CronJob and DeleteOptions are decodable under batch/v1', () => {
    assert.equal(kindSchema('batch/v1', 'Job')?.message, 'batch.v1.Job');
    assert.equal(kindSchema('batch/v1', 'CronJob')?.message, 'batch.v1.CronJob');
    assert.equal(kindSchema('batch/v1', 'DeleteOptions')?.message, 'meta.v1.DeleteOptions');
    assert.equal(kindSchema('batch/v1', 'Pod'), undefined);
  });

  test('Job: pointer ints and bools keep their zero values, the pod template nests', () => {
    const body = envelope('batch/v1', 'Job', (j) => {
      j.message(1, (m) => m.string(1, 'pi').string(3, 'default'));
      j.message(2, (s) => {
        s.varint(1, 3).varint(2, 0).varint(3, 30);
        s.message(6, (t) =>
          t.message(2, (p) =>
            p
              .message(2, (c) => c.string(1, 'pi').string(2, 'busybox').string(3, 'sh').string(3, '-c'))
              .string(3, 'Never'),
          ),
        );
        s.varint(7, 4).varint(10, 0).string(14, 'Failed');
      });
      j.message(3, (st) => {
        st.message(1, (c) => c.string(1, 'Complete').string(2, 'True').message(4, timestamp(T)));
        st.message(2, timestamp(T)).varint(5, 1);
      });
    });
    assert.deepStrictEqual(decodeKubernetesProtobuf(body), {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'pi', namespace: 'default' },
      spec: {
        parallelism: 3,
        completions: 0,
        activeDeadlineSeconds: 30,
        template: {
          spec: {
            containers: [{ name: 'pi', image: 'busybox', command: ['sh', '-c'] }],
            restartPolicy: 'Never',
          },
        },
        backoffLimit: 4,
        suspend: false,
        podReplacementPolicy: 'Failed',
      },
      status: {
        conditions: [
          {
            type: 'Complete',
            status: 'True',
            lastTransitionTime: '2026-11-25T08:00:13Z',
          },
        ],
        startTime: '2026-11-25T08:00:13Z',
        succeeded: 1,
      },
    });
  });

  test('CronJob: schedule, time zone, policies and the job template', () => {
    const body = envelope('batch/v1', 'CronJob', (j) => {
      j.message(1, (m) => m.string(1, 'hello'));
      j.message(2, (s) => {
        s.string(1, '*/1 * * * *').varint(2, 0).string(3, 'Forbid').varint(4, 1);
        s.message(5, (jt) => jt.message(2, (js) => js.varint(7, 0)));
        s.varint(6, 3).varint(7, 1).string(8, 'Etc/UTC');
      });
    });
    assert.deepStrictEqual(decodeKubernetesProtobuf(body), {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'hello' },
      spec: {
        schedule: '*/1 * * * *',
        timeZone: 'Etc/UTC',
        startingDeadlineSeconds: 0,
        concurrencyPolicy: 'Forbid',
        suspend: true,
        jobTemplate: { spec: { backoffLimit: 0 } },
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 1,
      },
    });
  });
});
