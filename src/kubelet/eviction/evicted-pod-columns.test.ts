/**
 * What `kubectl get pod` prints for an evicted pod, from the statuses the kubelet writes, through
 * the same printPod rules the API serves (api/registry/printers/pod-status.ts). Upstream's
 * timeline (pkg/kubelet/kubelet.go SyncTerminatingPod, eviction_manager.go evictPod):
 *
 *   evictPod ──► status Failed/Evicted, containers still running ──► kill ──► final status:
 *                kubectl: "1/1 Evicted"                                        containers terminated
 *                                                                              (137, reason Error)
 *                                                                              kubectl: "0/1 Error"
 *
 * printPod lets a container's terminated reason override status.reason, so since 1.22 (the kubelet
 * syncs the killed containers' state, kubernetes/kubernetes#105358, #105467) a cluster ends on
 * Error; "Evicted" stays in status.reason (kubectl describe: Reason: Evicted).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContainerStatus, Pod, PodStatus } from 'kubernetes-types/core/v1';
import { summarizePod } from '../../api/registry/printers/pod-status.js';
import { evictedStatus } from '../pod-sync.js';

const NOW = new Date('2026-11-25T12:00:00Z');
const MESSAGE = 'Usage of EmptyDir volume "scratch" exceeds the limit "1Mi". ';

const container = (state: ContainerStatus['state'], ready: boolean): ContainerStatus => ({
  name: 'app',
  image: 'busybox',
  imageID: '',
  ready,
  restartCount: 0,
  state,
});

const columns = (status: PodStatus) => {
  const pod: Pod = {
    metadata: { name: 'filler', creationTimestamp: '2026-11-25T11:59:00Z' },
    spec: { containers: [{ name: 'app', image: 'busybox' }] },
    status,
  };
  const s = summarizePod(pod, NOW);
  return `${s.ready} ${s.status}`;
};

test('an evicted pod reads "1/1 Evicted" while its container runs, "0/1 Error" once it was killed', () => {
  const running: PodStatus = {
    phase: 'Running',
    containerStatuses: [container({ running: { startedAt: '2026-11-25T11:59:01Z' } }, true)],
  };
  const atEviction = evictedStatus(running, MESSAGE, NOW);
  assert.equal(atEviction.reason, 'Evicted');
  assert.equal(atEviction.phase, 'Failed');
  assert.equal(columns(atEviction), '1/1 Evicted');

  const killed: PodStatus = {
    phase: 'Running',
    containerStatuses: [
      container(
        {
          terminated: {
            exitCode: 137,
            reason: 'Error',
            startedAt: '2026-11-25T11:59:01Z',
            finishedAt: '2026-11-25T12:00:00Z',
          },
        },
        false,
      ),
    ],
  };
  const final = evictedStatus(killed, MESSAGE, NOW);
  assert.equal(final.reason, 'Evicted', 'the reason survives the final status');
  assert.equal(columns(final), '0/1 Error');
});

test('a pod evicted before any container status exists reads "0/1 Evicted"', () => {
  assert.equal(columns(evictedStatus({ phase: 'Pending' }, MESSAGE, NOW)), '0/1 Evicted');
});
