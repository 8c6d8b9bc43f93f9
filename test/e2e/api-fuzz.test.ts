/**
 * Seeded fuzzing of the API (API-only server): whatever arrives, the answer is a 2xx, or a 4xx whose
 * body is a Status with a message, never a 5xx; the server keeps serving. Two kinds of input:
 *  - real objects read back and changed at random (a field set to a value of another type, a huge
 *    number, a long string, null, ...) then written with PUT, merge / strategic / apply patches and
 *    through /scale, which is how `finalizers: [null]` (a 500) and `replicas: 1e308` through /scale
 *    (a ReplicaSet creating pods until the engine ran out of memory) were found;
 *  - malformed requests: random bytes, truncated or deeply nested JSON, YAML aliases, protobuf
 *    garbage, odd content types and query parameters, on collections, objects and subresources
 *    (`GET //` was a 500);
 *  - status writes with odd values (times that are not RFC 3339, numbers, objects), after which
 *    every kind must still list as a server-side Table (a CronJob lastScheduleTime of "x" stored
 *    through /status made every `kubectl get cronjobs` a 500).
 * The seeds are fixed, so a failure replays; each failure names the request that caused it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { after, before, describe, test } from 'node:test';
import YAML from 'yaml';
import { TestServer } from './harness.js';

/** A small deterministic generator (an LCG), so a seed replays the same requests. */
function generator(seed: number) {
  let s = seed;
  const next = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  return { next, pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]! };
}

interface Reply {
  status: number;
  body: string;
}

const OBJECTS = [
  '/api/v1/namespaces/default/pods/p1',
  '/api/v1/namespaces/default/pods/p1/status',
  '/apis/apps/v1/namespaces/default/deployments/d1',
  '/apis/apps/v1/namespaces/default/deployments/d1/scale',
  '/api/v1/namespaces/default/configmaps/c1',
  '/api/v1/namespaces/default/services/s1',
  '/apis/batch/v1/namespaces/default/jobs/j1',
  '/apis/batch/v1/namespaces/default/cronjobs/cj1',
  '/api/v1/namespaces/default',
];

const VALUES: readonly unknown[] = [
  null,
  -1,
  0,
  1.5,
  2 ** 31,
  2 ** 53,
  1e308,
  '',
  'x',
  'a'.repeat(70_000),
  '../../etc',
  true,
  [],
  [null],
  {},
  { a: { b: 1 } },
  [1, 'a', {}],
  '\u0000',
  '10Gi',
  '-5m',
  '* * * * 7',
];

const PATHS = [
  '/api/v1/namespaces/default/pods',
  '/api/v1/namespaces/default/pods/p1',
  '/api/v1/namespaces/default/pods/p1/status',
  '/api/v1/namespaces/default/pods/p1/log',
  '/api/v1/namespaces/default/pods/p1/exec',
  '/api/v1/namespaces/default/pods/p1/attach',
  '/api/v1/namespaces/default/pods/p1/portforward',
  '/api/v1/namespaces/default/pods/p1/ephemeralcontainers',
  '/apis/apps/v1/namespaces/default/deployments/d1',
  '/apis/apps/v1/namespaces/default/deployments/d1/scale',
  '/api/v1/namespaces/default/configmaps',
  '/api/v1/namespaces/default/services/s1',
  '/apis/batch/v1/namespaces/default/cronjobs',
  '/api/v1/namespaces/default/serviceaccounts/default/token',
  '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices',
  '/apis/coordination.k8s.io/v1/namespaces/default/leases',
  '/api/v1/namespaces/%zz/pods',
  '/api/v1/namespaces/default/pods/%00',
  '//',
  '//api//v1//namespaces/default/configmaps',
  '/apis/batch/v1/namespaces/default/cronjobs/cj1/status',
  `/api/v1/namespaces/default/pods/${'a'.repeat(300)}`,
];

const CONTENT_TYPES = [
  'application/json',
  'application/yaml',
  'application/vnd.kubernetes.protobuf',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/json-patch+json',
  'application/apply-patch+yaml',
  'text/plain',
  '',
];

const QUERIES = [
  '',
  '?watch=true&timeoutSeconds=1',
  '?labelSelector=a%20in%20(',
  '?fieldSelector=spec.nodeName==',
  '?limit=-1',
  '?limit=abc&continue=zzz',
  '?resourceVersion=abc',
  '?dryRun=All',
  `?fieldManager=${'x'.repeat(200)}`,
  '?fieldValidation=Strict',
  '?propagationPolicy=Bogus',
  '?gracePeriodSeconds=-5',
  '?container=%00&follow=true&tailLines=-3',
  '?command=ls&stdout=1',
  '?force=maybe',
  '?sinceSeconds=abc',
  '?watch=true&timeoutSeconds=1e12',
  '?limit=&resourceVersionMatch=Bogus',
  '?watch=yes&sendInitialEvents=true&timeoutSeconds=1',
  '?dryRun=all&force=true',
  '?gracePeriodSeconds=99999999999999&orphanDependents=1&propagationPolicy=Orphan',
];

function malformedBody(g: ReturnType<typeof generator>): Buffer {
  const k = g.next();
  if (k < 0.2)
    return Buffer.from(Array.from({ length: Math.floor(g.next() * 200) }, () => Math.floor(g.next() * 256)));
  if (k < 0.4) {
    const port = g.pick(['"x"', '-1', '1e400', 'null', '[]', '{}', '70000', '2147483648']);
    return Buffer.from(
      `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p2"},"spec":{"containers":[{"name":"c","image":"b","ports":[{"containerPort":${port}}]}]}}`,
    );
  }
  if (k < 0.6)
    return Buffer.from(
      g.pick([
        '{',
        '{"a":',
        '---\n- a: [\n',
        'a: &x\nb: *y\n',
        '{"a":1,"a":2}',
        '\ufeff{}',
        '"\\ud800"',
        '[{"op":"move","from":"/a","path":"/a/b"}]',
        '{"metadata":{"name":"p1","finalizers":[null]}}',
        'apiVersion: v1\nkind: Pod\nmetadata: {name: p1}\nspec: {containers: [{name: c, image: b}]}\n---\nfoo',
      ]),
    );
  if (k < 0.75) {
    const depth = Math.floor(g.next() * 3000);
    return Buffer.from('['.repeat(depth) + ']'.repeat(depth));
  }
  if (k < 0.9)
    return Buffer.from([
      0x6b,
      0x38,
      0x73,
      0x00,
      ...Array.from({ length: 64 }, () => Math.floor(g.next() * 256)),
    ]);
  return Buffer.alloc(0);
}

/** Every key path of a JSON value, to pick one to change. */
function keyPaths(v: unknown, prefix: string[] = [], out: string[][] = []): string[][] {
  if (v !== null && typeof v === 'object')
    for (const [k, child] of Object.entries(v)) {
      out.push([...prefix, k]);
      keyPaths(child, [...prefix, k], out);
    }
  return out;
}

function setAt(root: Record<string, unknown>, path: string[], value: unknown): void {
  let cur: unknown = root;
  for (const k of path.slice(0, -1)) {
    cur = (cur as Record<string, unknown>)[k];
    if (cur === null || typeof cur !== 'object') return;
  }
  (cur as Record<string, unknown>)[path[path.length - 1]!] = value;
}

describe('API fuzzing (seeded): 4xx with a Status or 2xx, never 5xx; the server keeps serving', () => {
  const srv = new TestServer();
  let agent: Agent;
  let ca: Buffer;
  before(async () => {
    await srv.start();
    ca = Buffer.from(
      YAML.parse(readFileSync(srv.kubeconfig, 'utf8')).clusters[0].cluster['certificate-authority-data'],
      'base64',
    );
    agent = new Agent({ keepAlive: true, maxSockets: 4 });
  });
  after(async () => {
    agent.destroy();
    await srv.destroy();
  });

  function send(
    method: string,
    path: string,
    contentType: string,
    body?: Buffer | string,
    accept?: string,
  ): Promise<Reply> {
    const u = new URL(srv.url);
    return new Promise((resolve) => {
      const req = request(
        {
          host: u.hostname,
          port: u.port,
          path,
          method,
          ca,
          agent,
          timeout: 10_000,
          headers: {
            Authorization: `Bearer ${srv.token}`,
            ...(contentType ? { 'Content-Type': contentType } : {}),
            ...(accept ? { Accept: accept } : {}),
            'Content-Length': String(body ? Buffer.byteLength(body) : 0),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
          );
          res.on('error', () => resolve({ status: -2, body: 'response error' }));
        },
      );
      req.on('timeout', () => {
        req.destroy();
        resolve({ status: -1, body: 'no answer within 10 s' });
      });
      req.on('error', (e) => resolve({ status: -3, body: e.message }));
      req.end(body);
    });
  }

  /** Problems with one reply: a 5xx or no reply, or a 4xx whose body is not a Status with a message. */
  function problem(r: Reply, what: string): string | undefined {
    if (r.status >= 500 || r.status < 0) return `${r.status} ${what} -> ${r.body.slice(0, 200)}`;
    if (r.status >= 400) {
      try {
        const s = JSON.parse(r.body) as { kind?: string; message?: string };
        if (s.kind !== 'Status' || !s.message) return `${r.status} without a Status: ${what}`;
      } catch {
        return `${r.status} with a body that is not JSON: ${what} -> ${r.body.slice(0, 120)}`;
      }
    }
    return undefined;
  }

  async function seedObjects(): Promise<void> {
    const k = (args: string[]) => srv.k(args).catch(() => '');
    await k(['run', 'p1', '--image=busybox', '--restart=Never', '--', 'sleep', '300']);
    await k(['create', 'deployment', 'd1', '--image=busybox', '--', 'sleep', '300']);
    await k(['create', 'configmap', 'c1', '--from-literal=a=b']);
    await k(['create', 'service', 'clusterip', 's1', '--tcp=80:80']);
    await k(['create', 'job', 'j1', '--image=busybox', '--', 'true']);
    await k(['create', 'cronjob', 'cj1', '--image=busybox', '--schedule=*/5 * * * *', '--', 'true']);
  }

  // Bounded: a regression such as the /scale runaway makes the server crawl, which then fails here
  // instead of hanging the suite.
  test('real objects changed at random and written back every way', { timeout: 180_000 }, async (t) => {
    const found: string[] = [];
    for (const seed of [11, 14, 21]) {
      await seedObjects();
      const g = generator(seed);
      for (let i = 0; i < 250; i++) {
        const path = g.pick(OBJECTS);
        const readPath = path.replace(/\/(status|scale)$/, '');
        const cur = await send('GET', path.endsWith('/scale') ? path : readPath, '');
        if (cur.status !== 200) continue; // deleted or replaced by an earlier write: seeded again next round
        const obj = JSON.parse(cur.body) as Record<string, unknown>;
        const paths = keyPaths(obj);
        for (let c = 1 + Math.floor(g.next() * 3); c > 0; c--)
          setAt(obj, g.pick(paths), structuredClone(g.pick(VALUES)));
        const how = g.pick(['PUT', 'merge', 'strategic', 'apply'] as const);
        const spec = JSON.stringify({
          spec: obj.spec,
          metadata: { labels: (obj.metadata as { labels?: unknown })?.labels },
        });
        const r =
          how === 'PUT'
            ? await send('PUT', path, 'application/json', JSON.stringify(obj))
            : how === 'merge'
              ? await send('PATCH', path, 'application/merge-patch+json', spec)
              : how === 'strategic'
                ? await send('PATCH', path, 'application/strategic-merge-patch+json', spec)
                : await send(
                    'PATCH',
                    `${path}?fieldManager=fuzz&force=true`,
                    'application/apply-patch+yaml',
                    JSON.stringify({
                      apiVersion: obj.apiVersion,
                      kind: obj.kind,
                      metadata: { name: (obj.metadata as { name?: string })?.name },
                      spec: obj.spec,
                    }),
                  );
        const p = problem(r, `seed ${seed} #${i} ${how} ${path}`);
        if (p) found.push(p);
      }
    }
    t.diagnostic(`${found.length} problems`);
    assert.deepEqual(found, []);
    // The runaway the fuzzing once caused: a replica count no ReplicaSet should ever have taken.
    const rs = JSON.parse((await send('GET', '/apis/apps/v1/namespaces/default/replicasets', '')).body) as {
      items: { spec: { replicas?: number } }[];
    };
    for (const item of rs.items)
      assert.ok((item.spec.replicas ?? 0) < 2 ** 31, `replicas ${item.spec.replicas}`);
  });

  test('status written with odd values: every kind still lists as a Table', { timeout: 60_000 }, async () => {
    await seedObjects();
    const g = generator(5);
    const odd: readonly unknown[] = [
      'x',
      'Running',
      '2024-02-30T00:00:00Z',
      '',
      5,
      true,
      {},
      [],
      null,
      '2024-01-01T00:00:00Z',
    ];
    const v = () => structuredClone(g.pick(odd));
    const writes: [string, () => unknown][] = [
      [
        '/apis/batch/v1/namespaces/default/cronjobs/cj1/status',
        () => ({ status: { lastScheduleTime: v(), lastSuccessfulTime: v(), active: v() } }),
      ],
      [
        '/apis/batch/v1/namespaces/default/jobs/j1/status',
        () => ({ status: { startTime: v(), completionTime: v(), succeeded: v() } }),
      ],
      [
        '/api/v1/namespaces/default/pods/p1/status',
        () => ({
          status: { startTime: v(), conditions: [{ type: 'Ready', status: v(), lastTransitionTime: v() }] },
        }),
      ],
      [
        '/apis/apps/v1/namespaces/default/deployments/d1/status',
        () => ({ status: { conditions: [{ type: 'Available', status: 'True', lastUpdateTime: v() }] } }),
      ],
    ];
    const lists = [
      '/apis/batch/v1/namespaces/default/cronjobs',
      '/apis/batch/v1/namespaces/default/jobs',
      '/api/v1/namespaces/default/pods',
      '/apis/apps/v1/namespaces/default/deployments',
    ];
    const found: string[] = [];
    for (let i = 0; i < 120; i++) {
      const [path, body] = g.pick(writes);
      const sent = JSON.stringify(body());
      const w = await send('PATCH', path, 'application/merge-patch+json', sent);
      const p = problem(w, `#${i} PATCH ${path} ${sent.slice(0, 100)}`);
      if (p) found.push(p);
    }
    for (const list of lists) {
      const t = await send('GET', list, '', undefined, 'application/json;as=Table;v=v1;g=meta.k8s.io');
      const p = problem(t, `Table of ${list}`);
      if (p) found.push(p);
    }
    assert.deepEqual(found, []);
  });

  test('malformed requests on collections, objects and subresources', { timeout: 180_000 }, async () => {
    await seedObjects();
    const found: string[] = [];
    const g = generator(7);
    for (let i = 0; i < 900; i++) {
      const method = g.pick(['POST', 'PUT', 'PATCH', 'GET', 'DELETE', 'POST', 'PATCH'] as const);
      const path = g.pick(PATHS) + g.pick(QUERIES);
      const type = g.pick(CONTENT_TYPES);
      const body = method === 'GET' ? undefined : malformedBody(g);
      const r = await send(method, path, type, body);
      const p = problem(
        r,
        `#${i} ${method} ${path.slice(0, 100)} (${type || 'no type'}) ${String(body ?? '').slice(0, 60)}`,
      );
      if (p) found.push(p);
    }
    assert.deepEqual(found, []);
    const ready = await send('GET', '/readyz', '');
    assert.equal(ready.status, 200, 'still serving');
    assert.equal(srv.proc?.exitCode, null, 'the engine is still running');
  });
});
