import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1';
import { attachStreamFlags } from './attach-options.js';

const pod: Pod = {
  metadata: { name: 'p' },
  spec: {
    initContainers: [{ name: 'init', image: 'busybox', stdin: true }],
    containers: [
      { name: 'term', image: 'busybox', stdin: true, tty: true },
      { name: 'plain', image: 'busybox' },
    ],
  },
};
const flags = { stdin: false, stdout: true, stderr: true, tty: false };

test("the terminal is the container's: tty comes from the spec, whatever the request says", () => {
  assert.equal(attachStreamFlags(pod, 'term', flags).tty, true);
  assert.equal(attachStreamFlags(pod, 'plain', { ...flags, tty: true }).tty, false);
});

test('stdin is accepted only for a container created with stdin: true (init containers too)', () => {
  assert.equal(attachStreamFlags(pod, 'term', { ...flags, stdin: true }).stdin, true);
  assert.equal(attachStreamFlags(pod, 'init', { ...flags, stdin: true }).stdin, true);
  assert.throws(
    () => attachStreamFlags(pod, 'plain', { ...flags, stdin: true }),
    (e: Error & { code?: number }) =>
      e.code === 400 &&
      e.message ===
        'cannot attach stdin to container plain in pod p: the container was created without stdin ' +
          '(spec.containers[].stdin: true); attach without -i/--stdin',
  );
});
