import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderTour, type TourInput } from './tour.js';

const BASE: TourInput = {
  url: 'https://127.0.0.1:6443',
  pid: 42,
  logFile: '/var/lib/podbay/server.log',
  serverKubeconfig: '/var/lib/podbay/kubeconfig',
  mergedInto: '/root/.kube/config',
  patternPods: {},
};

test('with every pattern running: the seed commands carry the real pod names', () => {
  const text = renderTour({
    ...BASE,
    patternPods: {
      sidecar: 'web-app-with-logging-abc-1',
      ambassador: 'app-with-redis-ambassador',
      adapter: 'legacy-app-with-adapter-def-2',
      'init-container': 'web-app-with-init-ghi-3',
    },
  });
  assert.match(text, /context "podbay" is current in \/root\/\.kube\/config/);
  assert.match(text, /export KUBECONFIG=\/var\/lib\/podbay\/kubeconfig/);
  assert.match(text, /kubectl get pods -l pattern=sidecar -w\n/);
  assert.match(text, /kubectl logs web-app-with-logging-abc-1 -c web-app\n/);
  assert.match(text, /kubectl logs web-app-with-logging-abc-1 -c log-shipper\n/);
  assert.match(text, /kubectl exec -it app-with-redis-ambassador -c web-app -- \/bin\/sh\n/);
  assert.match(
    text,
    /-c redis-ambassador -- node \/\S+\/images\/redis-ambassador\/bin\/redis-ambassador\.js --check\n/,
  );
  assert.match(text, /kubectl describe pod web-app-with-init-ghi-3\n/);
  assert.doesNotMatch(text, /xxx|undefined/);
});

test('other manifests, or a pattern missing: the short form; --no-kubeconfig: only the export', () => {
  const text = renderTour({ ...BASE, mergedInto: undefined, patternPods: { sidecar: 'a' } });
  assert.doesNotMatch(text, /Testing Multi-Container/);
  assert.match(text, /kubectl get pods -A/);
  assert.doesNotMatch(text, /is current in/);
  assert.match(text, /export KUBECONFIG=\/var\/lib\/podbay\/kubeconfig/);
});
