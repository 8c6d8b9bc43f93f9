import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ConfigMap, Pod, Secret } from 'kubernetes-types/core/v1';
import { AtomicWriter, PayloadPathError } from './atomic-writer.js';
import { emptyDirLimitExceeded, emptyDirMemorySize, volumeUsage } from './empty-dir.js';
import { checkHostPathType } from './host-path.js';
import { isMountPoint } from './mounts.js';
import type { PayloadLookups } from './payloads.js';
import { setUpVolume, tearDownPodVolumes, type VolumeDeps } from './setup.js';
import { expandSubPath, resolveSubPath } from './subpath.js';

let tmp = '';
before(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'podbay-volumes-'));
});
after(async () => {
  // Unmount before removing, even when a test failed half-way.
  for (const dir of ['pod', 'pod2']) await tearDownPodVolumes(path.join(tmp, dir));
  await fs.rm(tmp, { recursive: true, force: true });
});

const file = (text: string, mode = 0o644) => ({ data: Buffer.from(text), mode });

describe('AtomicWriter', () => {
  test('..data swap, per-key symlinks, no-op when unchanged, stale keys removed', async () => {
    const dir = path.join(tmp, 'aw');
    await fs.mkdir(dir);
    const writer = new AtomicWriter(dir);
    assert.equal(
      await writer.write(
        new Map([
          ['a', file('1')],
          ['sub/b', file('2', 0o400)],
        ]),
      ),
      true,
    );
    const first = await fs.readlink(path.join(dir, '..data'));
    assert.match(first, /^\.\.\d{4}_\d{2}_\d{2}_\d{2}_\d{2}_\d{2}\.\d+$/);
    assert.equal(await fs.readlink(path.join(dir, 'a')), '..data/a');
    assert.equal(await fs.readlink(path.join(dir, 'sub')), '..data/sub');
    assert.equal(await fs.readFile(path.join(dir, 'sub/b'), 'utf8'), '2');
    assert.equal((await fs.stat(path.join(dir, 'sub/b'))).mode & 0o777, 0o400);

    assert.equal(
      await writer.write(
        new Map([
          ['a', file('1')],
          ['sub/b', file('2', 0o400)],
        ]),
      ),
      false,
    );
    assert.equal(await fs.readlink(path.join(dir, '..data')), first, 'unchanged payload keeps the directory');

    assert.equal(await writer.write(new Map([['a', file('changed')]])), true);
    const second = await fs.readlink(path.join(dir, '..data'));
    assert.notEqual(second, first);
    assert.equal(await fs.readFile(path.join(dir, 'a'), 'utf8'), 'changed');
    await assert.rejects(fs.lstat(path.join(dir, 'sub')), 'removed key loses its symlink');
    await assert.rejects(fs.lstat(path.join(dir, first)), 'old timestamped directory removed');
    assert.deepEqual((await fs.readdir(dir)).sort(), ['..data', second, 'a'].sort());
  });

  test('bad payload paths are refused before anything is written', async () => {
    const dir = path.join(tmp, 'aw-bad');
    await fs.mkdir(dir);
    for (const bad of ['/abs', '../up', 'a/../../b', '..hidden']) {
      await assert.rejects(new AtomicWriter(dir).write(new Map([[bad, file('x')]])), PayloadPathError);
    }
    assert.deepEqual(await fs.readdir(dir), []);
  });
});

const configMaps: ConfigMap[] = [
  {
    metadata: { name: 'cfg', namespace: 'ns' },
    data: { 'app.conf': 'x=1', other: 'o' },
    binaryData: { bin: Buffer.from([0, 1]).toString('base64') },
  },
];
const secrets: Secret[] = [
  { metadata: { name: 'sec', namespace: 'ns' }, data: { token: Buffer.from('t0k').toString('base64') } },
];
const lookups: PayloadLookups = {
  configMap: (ns, name) => configMaps.find((c) => c.metadata?.name === name && c.metadata?.namespace === ns),
  secret: (ns, name) => secrets.find((c) => c.metadata?.name === name && c.metadata?.namespace === ns),
  services: () => [],
};
const deps: VolumeDeps = {
  lookups,
  allocatable: { cpu: '2', memory: '4Gi' },
  nodeAllocatableMemoryBytes: 4 * 2 ** 30,
};
const pod: Pod = {
  metadata: { name: 'web', namespace: 'ns', uid: 'u1', labels: { app: 'web' } },
  spec: { containers: [{ name: 'app', resources: { limits: { memory: '64Mi' } } }] },
};
const podDir = () => path.join(tmp, 'pod');

describe('setUpVolume', () => {
  test('configMap: items, paths, modes; optional; upstream errors', async () => {
    const v = await setUpVolume(
      pod,
      {
        name: 'cfg',
        configMap: {
          name: 'cfg',
          defaultMode: 0o600,
          items: [
            { key: 'app.conf', path: 'etc/app.conf' },
            { key: 'bin', path: 'bin', mode: 0o444 },
          ],
        },
      },
      podDir(),
      deps,
    );
    assert.equal(v.memoryBacked, false);
    assert.equal(await fs.readFile(path.join(v.hostPath, 'etc/app.conf'), 'utf8'), 'x=1');
    assert.equal((await fs.stat(path.join(v.hostPath, 'etc/app.conf'))).mode & 0o777, 0o600);
    assert.deepEqual([...(await fs.readFile(path.join(v.hostPath, 'bin')))], [0, 1]);
    assert.equal((await fs.stat(path.join(v.hostPath, 'bin'))).mode & 0o777, 0o444);
    const all = await setUpVolume(pod, { name: 'all', configMap: { name: 'cfg' } }, podDir(), deps);
    assert.equal((await fs.stat(path.join(all.hostPath, 'other'))).mode & 0o777, 0o644, 'defaultMode 0644');
    await assert.rejects(
      setUpVolume(pod, { name: 'm', configMap: { name: 'missing' } }, podDir(), deps),
      /^VolumeSetupError: configmap "missing" not found$/,
    );
    await assert.rejects(
      setUpVolume(
        pod,
        { name: 'k', configMap: { name: 'cfg', items: [{ key: 'nope', path: 'p' }] } },
        podDir(),
        deps,
      ),
      /configmap references non-existent config key: nope/,
    );
    const optional = await setUpVolume(
      pod,
      { name: 'o', configMap: { name: 'missing', optional: true } },
      podDir(),
      deps,
    );
    assert.deepEqual(
      await fs.readdir(optional.hostPath),
      ['..data', await fs.readlink(path.join(optional.hostPath, '..data'))].sort(),
    );
  });

  test('configMap update in place', async () => {
    const volume = { name: 'live', configMap: { name: 'cfg' } };
    const v = await setUpVolume(pod, volume, podDir(), deps);
    const cm = configMaps[0] as ConfigMap & { data: Record<string, string> };
    cm.data.other = 'updated';
    const again = await setUpVolume(pod, volume, podDir(), deps);
    assert.equal(again.changed, true);
    assert.equal(await fs.readFile(path.join(v.hostPath, 'other'), 'utf8'), 'updated');
    assert.equal((await setUpVolume(pod, volume, podDir(), deps)).changed, false);
  });

  test('secret and projected volumes live on tmpfs', async () => {
    const s = await setUpVolume(pod, { name: 'sec', secret: { secretName: 'sec' } }, podDir(), deps);
    assert.equal(s.memoryBacked, true);
    assert.equal(await isMountPoint(s.hostPath), true);
    assert.equal(await tmpfsAt(s.hostPath), true);
    assert.equal(await fs.readFile(path.join(s.hostPath, 'token'), 'utf8'), 't0k');
    const size = await fs.statfs(s.hostPath);
    assert.equal(size.blocks * size.bsize, 4 * 2 ** 30, 'sized like a Memory emptyDir (node allocatable)');
    await assert.rejects(
      setUpVolume(pod, { name: 's2', secret: { secretName: 'gone' } }, podDir(), deps),
      /secret "gone" not found/,
    );
    await assert.rejects(
      setUpVolume(
        pod,
        { name: 's3', secret: { secretName: 'sec', items: [{ key: 'x', path: 'x' }] } },
        podDir(),
        deps,
      ),
      /references non-existent secret key: x/,
    );

    const p = await setUpVolume(
      pod,
      {
        name: 'proj',
        projected: {
          defaultMode: 0o440,
          sources: [
            { secret: { name: 'sec', items: [{ key: 'token', path: 'creds/token' }] } },
            { configMap: { name: 'cfg', items: [{ key: 'app.conf', path: 'app.conf', mode: 0o400 }] } },
            {
              downwardAPI: {
                items: [
                  { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
                  {
                    path: 'mem',
                    resourceFieldRef: { containerName: 'app', resource: 'limits.memory', divisor: '1Mi' },
                  },
                ],
              },
            },
          ],
        },
      },
      podDir(),
      deps,
    );
    assert.equal(await tmpfsAt(p.hostPath), true);
    assert.equal(await fs.readFile(path.join(p.hostPath, 'creds/token'), 'utf8'), 't0k');
    assert.equal((await fs.stat(path.join(p.hostPath, 'creds/token'))).mode & 0o777, 0o440);
    assert.equal((await fs.stat(path.join(p.hostPath, 'app.conf'))).mode & 0o777, 0o400);
    assert.equal(await fs.readFile(path.join(p.hostPath, 'labels'), 'utf8'), 'app="web"');
    assert.equal(await fs.readFile(path.join(p.hostPath, 'mem'), 'utf8'), '64');
  });

  test('emptyDir: disk directory, or a sized tmpfs with usage and limit message', async () => {
    const disk = await setUpVolume(pod, { name: 'scratch', emptyDir: {} }, podDir(), deps);
    assert.equal((await fs.stat(disk.hostPath)).mode & 0o777, 0o777);
    assert.equal(await isMountPoint(disk.hostPath), false);
    const mem = await setUpVolume(
      pod,
      { name: 'cache', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } },
      podDir(),
      deps,
    );
    assert.equal(await tmpfsAt(mem.hostPath), true);
    const stat = await fs.statfs(mem.hostPath);
    assert.equal(stat.blocks * stat.bsize, 1 << 20);
    await fs.writeFile(path.join(mem.hostPath, 'half'), Buffer.alloc(512 * 1024));
    const usage = await volumeUsage(mem.hostPath);
    assert.ok(usage.bytes >= 512 * 1024 && usage.inodes === 2, JSON.stringify(usage));
    assert.equal(emptyDirLimitExceeded('cache', usage, '1Mi'), undefined);
    assert.equal(
      emptyDirLimitExceeded('cache', usage, '100Ki'),
      'Usage of EmptyDir volume "cache" exceeds the limit "100Ki". ',
    );
    await assert.rejects(fs.writeFile(path.join(mem.hostPath, 'too-much'), Buffer.alloc(2 << 20)), /ENOSPC/);
    assert.equal(
      emptyDirMemorySize(4 * 2 ** 30, 64 << 20, undefined),
      64 << 20,
      'pod memory limit caps the tmpfs',
    );
    assert.equal(
      emptyDirMemorySize(4 * 2 ** 30, undefined, '8Gi'),
      4 * 2 ** 30,
      'sizeLimit above allocatable is ignored',
    );
  });

  test('fsGroup: group ownership, g+rw (emptyDir) or 0440 (secret), setgid directories', async () => {
    const grouped: Pod = {
      ...pod,
      spec: { ...pod.spec, containers: pod.spec?.containers ?? [], securityContext: { fsGroup: 2345 } },
    };
    const dir = path.join(tmp, 'pod');
    const scratch = await setUpVolume(grouped, { name: 'g-scratch', emptyDir: {} }, dir, deps);
    const st = await fs.stat(scratch.hostPath);
    assert.equal(st.gid, 2345);
    assert.equal(st.mode & 0o7777, 0o2777);
    const sec = await setUpVolume(
      grouped,
      { name: 'g-sec', secret: { secretName: 'sec', defaultMode: 0o400 } },
      dir,
      deps,
    );
    const token = await fs.stat(path.join(sec.hostPath, 'token'));
    assert.equal(token.gid, 2345);
    assert.equal(token.mode & 0o777, 0o440);
    const link = await fs.lstat(path.join(sec.hostPath, 'token'));
    assert.equal(link.isSymbolicLink() && link.gid === 2345, true);
  });

  test('tearDownPodVolumes unmounts everything and is safe twice', async () => {
    const dir = path.join(tmp, 'pod2');
    const a = await setUpVolume(pod, { name: 'a', emptyDir: { medium: 'Memory' } }, dir, deps);
    const b = await setUpVolume(pod, { name: 'b', secret: { secretName: 'sec' } }, dir, deps);
    await tearDownPodVolumes(dir);
    await tearDownPodVolumes(dir);
    assert.equal(await isMountPoint(a.hostPath), false);
    assert.equal(await isMountPoint(b.hostPath), false);
    await assert.rejects(fs.stat(path.join(dir, 'volumes')));
  });
});

async function tmpfsAt(dir: string): Promise<boolean> {
  const info = await fs.readFile('/proc/self/mountinfo', 'utf8');
  return info.split('\n').some((line) => line.split(' ')[4] === dir && line.includes(' - tmpfs '));
}

describe('hostPath', () => {
  test('type checks with upstream messages', async () => {
    const base = path.join(tmp, 'host');
    await checkHostPathType(path.join(base, 'made/dir'), 'DirectoryOrCreate');
    assert.equal((await fs.stat(path.join(base, 'made/dir'))).isDirectory(), true);
    await checkHostPathType(path.join(base, 'made/file'), 'FileOrCreate');
    assert.equal((await fs.stat(path.join(base, 'made/file'))).isFile(), true);
    await checkHostPathType(path.join(base, 'made/file'), 'File');
    await checkHostPathType('/dev/null', 'CharDevice');
    await checkHostPathType(path.join(base, 'anything'), undefined);
    await assert.rejects(checkHostPathType(path.join(base, 'made/file'), 'Directory'), {
      message: `hostPath type check failed: ${base}/made/file is not a directory`,
    });
    await assert.rejects(checkHostPathType(path.join(base, 'made/dir'), 'FileOrCreate'), /is not a file$/);
    await assert.rejects(checkHostPathType(path.join(base, 'missing'), 'Directory'), /is not a directory$/);
    await assert.rejects(checkHostPathType('/dev/null', 'BlockDevice'), /is not a block device$/);
    await assert.rejects(
      checkHostPathType(base, 'Weird'),
      /^HostPathTypeError: Weird is an invalid volume type$/,
    );
    const sock = path.join(base, 's.sock');
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(sock, resolve));
    try {
      await checkHostPathType(sock, 'Socket');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('subPath', () => {
  test('resolution, creation and escapes', async () => {
    const vol = path.join(tmp, 'subvol');
    await fs.mkdir(vol, { recursive: true });
    const made = await resolveSubPath(vol, 'a/b');
    assert.equal(made, path.join(await fs.realpath(vol), 'a/b'));
    assert.equal((await fs.stat(made)).isDirectory(), true);
    await fs.symlink('/etc', path.join(vol, 'evil'));
    await assert.rejects(resolveSubPath(vol, 'evil'), /not within volume path/);
    await assert.rejects(resolveSubPath(vol, 'evil/new'), /not within volume path/);
    await assert.rejects(resolveSubPath(vol, '../x'), /must not contain '\.\.'/);
    await assert.rejects(resolveSubPath(vol, '/etc'), /must not be an absolute path/);
    await fs.symlink('a', path.join(vol, 'inside'));
    assert.equal(await resolveSubPath(vol, 'inside/b'), made, 'symlinks within the volume are fine');
  });
  test('subPathExpr expands env; missing or empty variables are errors', () => {
    const env = [
      { name: 'POD', value: 'web-0' },
      { name: 'EMPTY', value: '' },
    ];
    assert.equal(
      expandSubPath({ name: 'v', mountPath: '/m', subPathExpr: 'logs/$(POD)' }, env),
      'logs/web-0',
    );
    assert.equal(expandSubPath({ name: 'v', mountPath: '/m', subPath: 'plain' }, env), 'plain');
    assert.throws(
      () => expandSubPath({ name: 'v', mountPath: '/m', subPathExpr: '$(NOPE)/$(EMPTY)' }, env),
      /^SubPathError: missing value for EMPTY, NOPE$/,
    );
  });
});
