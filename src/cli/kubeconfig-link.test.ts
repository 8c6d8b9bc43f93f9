import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import YAML from 'yaml';
import { kubeconfigFor } from '../server/kubeconfig.js';
import { linkUserKubeconfig, unlinkUserKubeconfig } from './kubeconfig-link.js';

let dir = '';
let dataDir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'podbay-kclink-'));
  dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  // The server's own kubeconfig, as `podbay server` writes it.
  const server = YAML.stringify(kubeconfigFor('https://127.0.0.1:6443', 'CA PEM', 'tok'));
  writeFileSync(join(dataDir, 'kubeconfig'), server, { mode: 0o600 });
});
after(() => rmSync(dir, { recursive: true, force: true }));

const mode = (p: string) => statSync(p).mode & 0o777;

test('link creates ~/.kube (0700) and the config (0600); unlink removes the file it created', () => {
  const path = join(dir, 'home', '.kube', 'config');
  assert.equal(linkUserKubeconfig(dataDir, path), 'podbay');
  assert.equal(linkUserKubeconfig(dataDir, path), 'podbay', 'a re-run still knows up created the file');
  assert.equal(mode(join(dir, 'home', '.kube')), 0o700);
  assert.equal(mode(path), 0o600);
  const kc = YAML.parse(readFileSync(path, 'utf8'));
  assert.equal(kc['current-context'], 'podbay');
  assert.equal(kc.clusters[0].cluster.server, 'https://127.0.0.1:6443');
  assert.equal(unlinkUserKubeconfig(dataDir, '/nonexistent'), path);
  assert.ok(!existsSync(path), 'the file up created is gone again');
  assert.ok(!existsSync(join(dataDir, 'user-kubeconfig.json')), 'state removed');
});

test('a file up created keeps what the user added meanwhile', () => {
  const path = join(dir, 'created-then-used.yaml');
  linkUserKubeconfig(dataDir, path);
  const kc = YAML.parse(readFileSync(path, 'utf8'));
  kc.contexts.push({ name: 'kind-dev', context: { cluster: 'kind-dev', user: 'kind-dev' } });
  writeFileSync(path, YAML.stringify(kc), { mode: 0o600 });
  unlinkUserKubeconfig(dataDir, path);
  assert.deepEqual(
    YAML.parse(readFileSync(path, 'utf8')).contexts.map((c: { name: string }) => c.name),
    ['kind-dev'],
  );
});

test('a re-run keeps the context of the first run; unlink restores it and keeps the file mode 0600', () => {
  const path = join(dir, 'mine.yaml');
  const mine =
    'apiVersion: v1\nkind: Config\ncontexts:\n- name: work\n  context: {cluster: c, user: u}\ncurrent-context: work\n';
  writeFileSync(path, mine, { mode: 0o644 });
  linkUserKubeconfig(dataDir, path);
  linkUserKubeconfig(dataDir, path);
  assert.equal(mode(path), 0o600);
  assert.equal(YAML.parse(readFileSync(path, 'utf8'))['current-context'], 'podbay');
  // `down` finds the file through the state even when $KUBECONFIG now names another one.
  assert.equal(unlinkUserKubeconfig(dataDir, join(dir, 'other')), path);
  // The lists merge added stay, empty, as kubectl leaves them after `config delete-cluster`.
  assert.deepEqual(YAML.parse(readFileSync(path, 'utf8')), { ...YAML.parse(mine), clusters: [], users: [] });
  assert.equal(mode(path), 0o600);
  assert.equal(unlinkUserKubeconfig(dataDir, join(dir, 'other')), undefined, 'safe to call twice');
});

test("down for a server that never ran up leaves the user's kubeconfig alone and says so", () => {
  const path = join(dir, 'untouched.yaml');
  const text = 'apiVersion: v1\nkind: Config\nclusters: []\nusers: []\ncontexts: []\ncurrent-context: ""\n';
  writeFileSync(path, text, { mode: 0o600 });
  const fresh = join(dir, 'never-up');
  assert.equal(unlinkUserKubeconfig(fresh, path), undefined, 'nothing to report');
  assert.equal(readFileSync(path, 'utf8'), text);
});
