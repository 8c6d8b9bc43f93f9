import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONTAINERD_DEFAULT_CAPS, capabilityMask, effectiveCapabilities } from './capabilities.js';
import { InvalidArgumentError } from './errors.js';

test("containerd's default set is Docker's familiar 0xa80425fb", () => {
  assert.equal(capabilityMask(CONTAINERD_DEFAULT_CAPS), 'a80425fb');
  assert.equal(capabilityMask(effectiveCapabilities({})), 'a80425fb');
});

test('add/drop arithmetic, ALL, and the CAP_ prefix', () => {
  assert.deepEqual(effectiveCapabilities({ capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } }), [
    'NET_BIND_SERVICE',
  ]);
  const noRaw = effectiveCapabilities({ capabilities: { drop: ['CAP_NET_RAW'] } });
  assert.ok(!noRaw.includes('NET_RAW') && noRaw.includes('CHOWN'));
  const admin = effectiveCapabilities({ capabilities: { add: ['sys_admin'] } });
  assert.ok(admin.includes('SYS_ADMIN'));
  assert.equal(effectiveCapabilities({ capabilities: { add: ['ALL'] } }).length, 41);
  assert.equal(effectiveCapabilities({ privileged: true, capabilities: { drop: ['ALL'] } }).length, 41);
});

test('an unknown capability names the field', () => {
  assert.throws(
    () => effectiveCapabilities({ capabilities: { add: ['NET_BIND_SERVICE', 'FLY'] } }),
    (e: unknown) =>
      e instanceof InvalidArgumentError && /capabilities\.add\[1\]: unknown capability "FLY"/.test(e.message),
  );
});
