import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import YAML from 'yaml';
import {
  isEmptyKubeconfig,
  mergeKubeconfig,
  type PodbayEntries,
  unmergeKubeconfig,
  userKubeconfigPath,
} from './user-kubeconfig.js';

const ENTRIES: PodbayEntries = {
  cluster: {
    name: 'podbay',
    cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': 'Q0E=' },
  },
  user: { name: 'podbay-admin', user: { token: 't0k3n' } },
  context: { name: 'podbay', context: { cluster: 'podbay', user: 'podbay-admin', namespace: 'default' } },
};
const NAMES = { cluster: 'podbay', user: 'podbay-admin', context: 'podbay' };

const KIND = `# my clusters
apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority-data: S0lORA==
    server: https://127.0.0.1:40000
  name: kind-kind
contexts:
- context:
    cluster: kind-kind
    user: kind-kind
  name: kind-kind # the one I use
current-context: kind-kind
preferences: {}
users:
- name: kind-kind
  user:
    client-certificate-data: Q0VSVA==
`;

describe('mergeKubeconfig', () => {
  test('into no file: a complete kubeconfig with podbay current', () => {
    const r = mergeKubeconfig(undefined, ENTRIES, '/x');
    const kc = YAML.parse(r.text);
    assert.equal(kc.apiVersion, 'v1');
    assert.equal(kc.kind, 'Config');
    assert.deepEqual(kc.clusters, [ENTRIES.cluster]);
    assert.deepEqual(kc.users, [ENTRIES.user]);
    assert.deepEqual(kc.contexts, [ENTRIES.context]);
    assert.equal(kc['current-context'], 'podbay');
    assert.equal(r.previousContext, undefined);
    assert.doesNotMatch(r.text, /^\{/, 'block style, as kubectl writes');
  });

  test('keeps other entries as data and comments, remembers the previous context', () => {
    const r = mergeKubeconfig(KIND, ENTRIES, '/x');
    const before = YAML.parse(KIND);
    const after = YAML.parse(r.text);
    assert.equal(r.previousContext, 'kind-kind');
    assert.equal(after['current-context'], 'podbay');
    assert.deepEqual(after.clusters[0], before.clusters[0]);
    assert.deepEqual(after.users[0], before.users[0]);
    assert.deepEqual(after.contexts[0], before.contexts[0]);
    assert.deepEqual(after.preferences, {});
    assert.match(r.text, /# my clusters/);
    assert.match(r.text, /# the one I use/);
    assert.equal(after.clusters.length, 2);
  });

  test('a re-run replaces podbay entries in place and reports no previous context', () => {
    const once = mergeKubeconfig(KIND, ENTRIES, '/x').text;
    const newer = { ...ENTRIES, user: { name: 'podbay-admin', user: { token: 'new' } } };
    const twice = mergeKubeconfig(once, newer, '/x');
    const kc = YAML.parse(twice.text);
    assert.equal(kc.users.length, 2);
    assert.deepEqual(kc.users[1], newer.user);
    assert.equal(kc.contexts.length, 2);
    assert.equal(twice.previousContext, undefined);
  });

  test("a re-run keeps the namespace the user set on podbay's context", () => {
    const once = mergeKubeconfig(KIND, ENTRIES, '/x').text;
    const edited = once.replace('namespace: default', 'namespace: development');
    assert.notEqual(edited, once);
    const kc = YAML.parse(mergeKubeconfig(edited, ENTRIES, '/x').text);
    assert.deepEqual(kc.contexts[1], {
      name: 'podbay',
      context: { cluster: 'podbay', user: 'podbay-admin', namespace: 'development' },
    });
  });

  test("kubectl's `clusters: null` counts as an empty list", () => {
    const r = mergeKubeconfig(
      'apiVersion: v1\nkind: Config\nclusters: null\ncontexts: null\nusers: null\n',
      ENTRIES,
      '/x',
    );
    assert.equal(YAML.parse(r.text).clusters.length, 1);
  });

  test('bad files are refused naming the path', () => {
    assert.throws(
      () => mergeKubeconfig('a: [', ENTRIES, '/home/u/.kube/config'),
      /kubeconfig \/home\/u\/\.kube\/config: not valid YAML/,
    );
    assert.throws(
      () => mergeKubeconfig('- 1\n', ENTRIES, '/k'),
      /kubeconfig \/k: the top level is not a mapping/,
    );
    assert.throws(
      () => mergeKubeconfig('clusters: 3\n', ENTRIES, '/k'),
      /kubeconfig \/k: clusters is not a list/,
    );
  });
});

describe('unmergeKubeconfig', () => {
  test('removes podbay entries and restores the previous context', () => {
    const merged = mergeKubeconfig(KIND, ENTRIES, '/x');
    const text = unmergeKubeconfig(merged.text, NAMES, merged.previousContext, '/x');
    assert.deepEqual(YAML.parse(text), YAML.parse(KIND));
    assert.match(text, /# the one I use/);
  });

  test('a context the user switched to since is kept', () => {
    const merged = mergeKubeconfig(KIND, ENTRIES, '/x').text.replace(
      'current-context: podbay',
      'current-context: kind-kind',
    );
    const kc = YAML.parse(unmergeKubeconfig(merged, NAMES, 'kind-kind', '/x'));
    assert.equal(kc['current-context'], 'kind-kind');
    assert.equal(kc.contexts.length, 1);
  });

  test('a previous context that no longer exists leaves current-context empty', () => {
    const merged = mergeKubeconfig(KIND, ENTRIES, '/x');
    const kc = YAML.parse(unmergeKubeconfig(merged.text, NAMES, 'gone', '/x'));
    assert.equal(kc['current-context'], '');
  });

  test('a file without podbay entries comes back byte for byte', () => {
    const odd = `${KIND}\n\n# trailing comment, odd   spacing\n`;
    assert.equal(unmergeKubeconfig(odd, NAMES, undefined, '/x'), odd);
  });
});

test('userKubeconfigPath: first $KUBECONFIG entry, else ~/.kube/config', () => {
  assert.equal(userKubeconfigPath({ KUBECONFIG: '/a/one:/b/two', HOME: '/h' }), '/a/one');
  assert.equal(userKubeconfigPath({ KUBECONFIG: ':/b/two', HOME: '/h' }), '/b/two');
  assert.equal(userKubeconfigPath({ KUBECONFIG: '', HOME: '/h' }), '/h/.kube/config');
  assert.equal(userKubeconfigPath({ HOME: '/h' }), '/h/.kube/config');
});

describe('isEmptyKubeconfig', () => {
  test('only apiVersion, kind, empty lists, an empty current-context and empty preferences count as empty', () => {
    assert.equal(
      isEmptyKubeconfig(
        'apiVersion: v1\nkind: Config\nclusters: []\nusers: []\ncontexts: []\ncurrent-context: ""\npreferences: {}\n',
        'k',
      ),
      true,
    );
    assert.equal(isEmptyKubeconfig('', 'k'), true);
    assert.equal(
      isEmptyKubeconfig('apiVersion: v1\nclusters:\n- name: c\n  cluster: {server: x}\n', 'k'),
      false,
    );
    assert.equal(isEmptyKubeconfig('current-context: work\n', 'k'), false);
    assert.equal(isEmptyKubeconfig('preferences: {colors: true}\n', 'k'), false);
  });
});
