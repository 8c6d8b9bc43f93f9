import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HTTPIngressPath, Ingress, IngressRule } from 'kubernetes-types/networking/v1';
import { buildRoutingTable, matchRoute, normalizeHost, upstreamTarget } from './routes.js';

/** One path: `[path, type, service]`. */
type P = [string, string, string];

const ingress = (
  name: string,
  created: string,
  rules: { host?: string; paths: P[] }[],
  defaultService?: string,
): Ingress => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name, namespace: 'default', creationTimestamp: created },
  spec: {
    ...(defaultService && { defaultBackend: { service: { name: defaultService, port: { number: 80 } } } }),
    rules: rules.map(
      (r): IngressRule => ({
        ...(r.host !== undefined && { host: r.host }),
        http: {
          paths: r.paths.map(
            ([path, pathType, svc]): HTTPIngressPath => ({
              path,
              pathType,
              backend: { service: { name: svc, port: { number: 80 } } },
            }),
          ),
        },
      }),
    ),
  },
});

const T0 = '2026-11-25T10:00:00Z';
const T1 = '2026-11-25T11:00:00Z';

/** The Service a request reaches, or '404'. */
function reach(ingresses: Ingress[], host: string | undefined, path: string): string {
  return matchRoute(buildRoutingTable(ingresses), host, path)?.backend.service?.name ?? '404';
}

// The Ingress API's documented examples (concepts/services-networking/ingress "Examples") and
// the host rules of networking/v1 IngressRule.host.
describe('routing: paths', () => {
  const cases: [string, P[], string, string][] = [
    ['Prefix / matches all paths', [['/', 'Prefix', 'a']], '/anything/at/all', 'a'],
    ['Exact /foo matches /foo', [['/foo', 'Exact', 'a']], '/foo', 'a'],
    ['Exact /foo does not match /bar', [['/foo', 'Exact', 'a']], '/bar', '404'],
    ['Exact /foo does not match /foo/', [['/foo', 'Exact', 'a']], '/foo/', '404'],
    ['Exact /foo/ does not match /foo', [['/foo/', 'Exact', 'a']], '/foo', '404'],
    ['Prefix /foo matches /foo and /foo/', [['/foo', 'Prefix', 'a']], '/foo/', 'a'],
    ['Prefix /foo/ matches /foo (trailing slash ignored)', [['/foo/', 'Prefix', 'a']], '/foo', 'a'],
    ['Prefix /aaa/bb does not match /aaa/bbb', [['/aaa/bb', 'Prefix', 'a']], '/aaa/bbb', '404'],
    ['Prefix /aaa/bbb matches /aaa/bbb/ccc', [['/aaa/bbb', 'Prefix', 'a']], '/aaa/bbb/ccc', 'a'],
    ['Prefix /aaa/bbb/ does not match /aaa/bbbxyz', [['/aaa/bbb/', 'Prefix', 'a']], '/aaa/bbbxyz', '404'],
    [
      'Prefix / and /aaa: /aaa/ccc takes /aaa',
      [
        ['/', 'Prefix', 'a'],
        ['/aaa', 'Prefix', 'b'],
      ],
      '/aaa/ccc',
      'b',
    ],
    [
      'Prefix /, /aaa, /aaa/bbb: the longest wins',
      [
        ['/', 'Prefix', 'a'],
        ['/aaa', 'Prefix', 'b'],
        ['/aaa/bbb', 'Prefix', 'c'],
      ],
      '/aaa/bbb',
      'c',
    ],
    [
      'Prefix / and /aaa: /ccc takes /',
      [
        ['/', 'Prefix', 'a'],
        ['/aaa', 'Prefix', 'b'],
      ],
      '/ccc',
      'a',
    ],
    [
      'Prefix /aaa vs Exact /aaa: Exact first',
      [
        ['/aaa', 'Prefix', 'p'],
        ['/aaa', 'Exact', 'e'],
      ],
      '/aaa',
      'e',
    ],
    [
      'Prefix /aaa vs Exact /aaa: /aaa/x only Prefix',
      [
        ['/aaa', 'Prefix', 'p'],
        ['/aaa', 'Exact', 'e'],
      ],
      '/aaa/x',
      'p',
    ],
    ['ImplementationSpecific is a Prefix', [['/api', 'ImplementationSpecific', 'a']], '/api/v1', 'a'],
    ['ImplementationSpecific with no path is /', [['', 'ImplementationSpecific', 'a']], '/x', 'a'],
  ];
  for (const [name, paths, path, want] of cases) {
    test(name, () =>
      assert.equal(reach([ingress('i', T0, [{ host: 'foo.local', paths }])], 'foo.local', path), want),
    );
  }
});

describe('routing: hosts', () => {
  const ings = [
    ingress('i', T0, [
      { host: 'foo.bar.com', paths: [['/', 'Prefix', 'exact']] },
      { host: '*.bar.com', paths: [['/', 'Prefix', 'wild']] },
      { paths: [['/', 'Prefix', 'any']] },
    ]),
  ];
  const cases: [string, string | undefined, string][] = [
    ['an exact host wins over its wildcard', 'foo.bar.com', 'exact'],
    ['the wildcard takes another first label', 'baz.bar.com', 'wild'],
    ['the wildcard is one label only', 'a.baz.bar.com', 'any'],
    ['the wildcard does not match its suffix', 'bar.com', 'any'],
    ['case and port are ignored', 'FOO.Bar.com:8080', 'exact'],
    ['no Host header: the host-less rules', undefined, 'any'],
  ];
  for (const [name, host, want] of cases) test(name, () => assert.equal(reach(ings, host, '/'), want));

  test('a known host whose paths do not match does not fall through to other hosts', () => {
    const t = [
      ingress('i', T0, [
        { host: 'foo.local', paths: [['/a', 'Prefix', 'a']] },
        { paths: [['/', 'Prefix', 'any']] },
      ]),
    ];
    assert.equal(reach(t, 'foo.local', '/b'), '404');
    assert.equal(reach(t, 'other.local', '/b'), 'any');
  });
  test('normalizeHost', () => {
    assert.equal(normalizeHost('Foo.Local.:80'), 'foo.local');
    assert.equal(normalizeHost('[::1]:8080'), '[::1]');
    assert.equal(normalizeHost(undefined), '');
  });
});

describe('routing: several Ingresses and default backends', () => {
  test('the same host and path: the older Ingress wins, whatever the list order', () => {
    const older = ingress('b-older', T0, [{ host: 'x.local', paths: [['/', 'Prefix', 'old']] }]);
    const newer = ingress('a-newer', T1, [
      {
        host: 'x.local',
        paths: [
          ['/', 'Prefix', 'new'],
          ['/only', 'Exact', 'new'],
        ],
      },
    ]);
    assert.equal(reach([newer, older], 'x.local', '/'), 'old');
    assert.equal(reach([older, newer], 'x.local', '/only'), 'new');
  });
  test('no match: the host group’s Ingress defaultBackend, else the oldest one, else 404', () => {
    const withDefault = ingress('d', T1, [{ host: 'x.local', paths: [['/a', 'Exact', 'a']] }], 'x-default');
    const global = ingress('g', T0, [], 'global');
    assert.equal(reach([withDefault, global], 'x.local', '/b'), 'x-default');
    assert.equal(reach([withDefault, global], 'unknown.local', '/'), 'global');
    assert.equal(
      reach([ingress('n', T0, [{ host: 'x.local', paths: [['/a', 'Exact', 'a']] }])], 'y.local', '/'),
      '404',
    );
  });
});

// ingress-nginx's rewrite examples (docs/examples/rewrite) and Kubernetes' minimal-ingress example.
describe('routing: use-regex and rewrite-target (ingress-nginx annotations)', () => {
  const annotated = (annotations: Record<string, string>, paths: P[]): Ingress => {
    const i = ingress('r', T0, [{ host: 'rewrite.bar.com', paths }]);
    i.metadata!.annotations = annotations;
    return i;
  };
  const upstream = (i: Ingress[], path: string, query = ''): string | undefined => {
    const r = matchRoute(buildRoutingTable(i), 'rewrite.bar.com', path);
    return r && upstreamTarget(r, path, query);
  };
  const capture = annotated({ 'nginx.ingress.kubernetes.io/rewrite-target': '/$2' }, [
    ['/something(/|$)(.*)', 'ImplementationSpecific', 'http-svc'],
  ]);
  const cases: [string, string, string | undefined][] = [
    ['/something', '/something', '/'],
    ['/something/', '/something/', '/'],
    ['/something/new', '/something/new', '/new'],
    ['case-insensitive', '/SomeThing/new', '/new'],
    ['no match: 404', '/other', undefined],
  ];
  for (const [name, path, want] of cases)
    test(`capture groups: ${name}`, () => assert.equal(upstream([capture], path), want));

  test('a plain target replaces the path; the query is kept', () => {
    const minimal = annotated({ 'nginx.ingress.kubernetes.io/rewrite-target': '/' }, [
      ['/testpath', 'Prefix', 'test'],
    ]);
    assert.equal(upstream([minimal], '/testpath', '?a=1'), '/?a=1');
  });
  test('use-regex alone matches by regex and does not rewrite', () => {
    const regex = annotated({ 'nginx.ingress.kubernetes.io/use-regex': 'true' }, [
      ['/api/v[0-9]+', 'Prefix', 'api'],
    ]);
    assert.equal(upstream([regex], '/api/v2/users'), '/api/v2/users');
    assert.equal(upstream([regex], '/api/vx'), undefined);
  });
  test('without the annotations, a path with regex characters is literal', () => {
    const plain = ingress('p', T0, [{ host: 'rewrite.bar.com', paths: [['/a.c', 'Prefix', 'x']] }]);
    assert.equal(upstream([plain], '/abc'), undefined);
    assert.equal(upstream([plain], '/a.c/d'), '/a.c/d');
  });
  test('an invalid regex routes nothing', () => {
    const bad = annotated({ 'nginx.ingress.kubernetes.io/use-regex': 'true' }, [
      ['/(unclosed', 'Prefix', 'x'],
    ]);
    assert.equal(upstream([bad], '/(unclosed'), undefined);
  });
});
