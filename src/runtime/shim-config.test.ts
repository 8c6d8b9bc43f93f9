import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeShimConfig, type ShimLaunch } from './shim-config.js';

const base: ShimLaunch = {
  id: 'c1',
  logPath: '/l',
  exitFile: '/e',
  pidFile: '/p',
  sandboxPid: 42,
  sharePid: false,
  cgroupProcs: ['/sys/fs/cgroup/cpu/podbay/x/cgroup.procs'],
  upper: '/u',
  work: '/w',
  rootfs: '/r',
  hide: ['/root'],
  opaque: ['/tmp'],
  mounts: [{ src: '/a', dst: '/b', readonly: true, propagation: 'rslave' }],
  tmpfs: [],
  readonlyRoot: false,
  privileged: false,
  capsMask: 'a80425fb',
  noNewPrivs: true,
  uid: 0,
  gid: 0,
  groups: [5],
  cwd: '/',
  env: ['A=line1\nline2'],
  argv: ['sh', '-c', 'echo "$A"'],
  maxLogSize: 10485760,
  maxLogFiles: 5,
};

test('keys and values are NUL-separated; values keep newlines and spaces verbatim', () => {
  const parts = encodeShimConfig(base).toString().split('\0');
  assert.equal(parts.at(-1), '');
  const at = (k: string) => parts.indexOf(k);
  assert.deepEqual(parts.slice(at('mount'), at('mount') + 5), ['mount', '/a', '/b', '1', 'rslave']);
  assert.deepEqual(parts.slice(at('env'), at('env') + 2), ['env', 'A=line1\nline2']);
  assert.deepEqual(
    parts.filter((_, i) => parts[i - 1] === 'arg'),
    ['sh', '-c', 'echo "$A"'],
  );
});

test('a NUL inside a value is rejected with the field name', () => {
  assert.throws(
    () => encodeShimConfig({ ...base, argv: ['a\0b'] }),
    /^InvalidArgumentError: arg: must not contain a NUL byte$/m,
  );
});

test('stdio keys: written only when set, so older launch files and plain containers read the same', () => {
  const plain = encodeShimConfig(base).toString().split('\0');
  for (const key of ['stdin', 'stdin-once', 'tty', 'attach-socket']) assert.ok(!plain.includes(key), key);
  const parts = encodeShimConfig({
    ...base,
    stdin: true,
    stdinOnce: true,
    tty: true,
    attachSocket: '/d/attach',
  })
    .toString()
    .split('\0');
  const value = (k: string) => parts[parts.indexOf(k) + 1];
  assert.deepEqual(['stdin', 'stdin-once', 'tty', 'attach-socket'].map(value), ['1', '1', '1', '/d/attach']);
});

test('pid-target: written only for a TARGET container, as the target host pid', () => {
  assert.ok(!encodeShimConfig(base).toString().split('\0').includes('pid-target'));
  const parts = encodeShimConfig({ ...base, pidTarget: 4321 })
    .toString()
    .split('\0');
  assert.deepEqual(parts.slice(parts.indexOf('pid-target'), parts.indexOf('pid-target') + 2), [
    'pid-target',
    '4321',
  ]);
});
