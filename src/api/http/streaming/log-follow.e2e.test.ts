/**
 * `kubectl logs -f` end to end (root): a real `podbay server --run-pods` with its default follow
 * (inotify on the container's log directory, 1 s safety net) and the stock kubectl. A container
 * stamps each line with the time it wrote it; the test measures when kubectl printed it. With the
 * old 200 ms poll the median was ~100 ms; woken by inotify it is a few ms. Once the container
 * exits, the follow ends by itself (kubelet's ReadLogs), with every line printed once.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { KUBECTL, waitFor } from '../../../../test/e2e/harness.js';
import { PodServer } from '../../../kubelet/testing/pod-server.js';

const ps = new PodServer();
const LINES = 30;
// Waits for the test's follow to connect (it prints "ready" first), then one stamped line every 50 ms.
const WRITER = `console.log('ready'); setTimeout(() => { let i = 0; const t = setInterval(() => { console.log('line ' + i + ' ' + Date.now()); if (++i === ${LINES}) { clearInterval(t); } }, 50); }, 3000);`;

interface Arrival {
  line: string;
  at: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('kubectl logs -f against a running container (root)', { timeout: 120_000 }, () => {
  before(async () => ps.start());
  after(async () => ps.close());

  test('each line reaches kubectl within milliseconds; the follow ends when the container exits', async () => {
    await ps.apply(`apiVersion: v1
kind: Pod
metadata: {name: stamper}
spec:
  restartPolicy: Never
  terminationGracePeriodSeconds: 0
  containers:
  - {name: app, image: node, command: [node, -e, "${WRITER}"]}
`);
    await waitFor(async () => (await ps.statusColumn('stamper')) === 'Running', 'stamper Running', 30_000);
    const kubectl = spawn(KUBECTL, ['logs', '-f', 'stamper'], {
      env: {
        ...process.env,
        KUBECONFIG: ps.server.kubeconfig,
        KUBECACHEDIR: ps.server.cacheDir,
        HOME: ps.server.cacheDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const arrivals: Arrival[] = [];
    let partial = '';
    let stderr = '';
    kubectl.stdout.on('data', (d: Buffer) => {
      const at = Date.now();
      const parts = (partial + d.toString()).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) arrivals.push({ line, at });
    });
    kubectl.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
      kubectl.on('close', (code) => resolve({ code, at: Date.now() })),
    );
    const killer = setTimeout(() => kubectl.kill('SIGKILL'), 60_000);
    try {
      const { code, at: endedAt } = await exited;
      assert.equal(code, 0, stderr);
      const stamped = arrivals.filter((a) => a.line.startsWith('line '));
      assert.equal(arrivals[0]?.line, 'ready');
      assert.deepEqual(
        stamped.map((a) => Number(a.line.split(' ')[1])),
        Array.from({ length: LINES }, (_, i) => i),
        'every line once, in order',
      );
      const latencies = stamped.map((a) => a.at - Number(a.line.split(' ')[2]));
      const fast = latencies.filter((ms) => ms < 50).length;
      console.log(
        `# write-to-kubectl latency ms: median ${median(latencies)}, max ${Math.max(...latencies)}, under 50 ms: ${fast}/${LINES}`,
      );
      assert.ok(median(latencies) < 50, `median ${median(latencies)} ms: ${latencies.join(' ')}`);
      assert.ok(fast >= LINES * 0.8, `only ${fast}/${LINES} lines under 50 ms: ${latencies.join(' ')}`);
      // The container exits right after its last line; the follow notices within the 1 s safety net.
      const lastWritten = Number(stamped.at(-1)!.line.split(' ')[2]);
      assert.ok(
        endedAt - lastWritten < 4000,
        `kubectl returned ${endedAt - lastWritten} ms after the last line`,
      );
    } finally {
      clearTimeout(killer);
    }
    await ps.deleteAndVerifyGone('stamper');
  });
});
