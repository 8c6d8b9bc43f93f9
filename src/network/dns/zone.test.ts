import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Pod, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { parseCidr } from '../cidr.js';
import { endpointSlice, notReady, ready } from '../testing/slices.js';
import { buildZoneIndex } from './records.js';
import { answerQuestion, reverseNameToIP, type ZoneOptions } from './zone.js';

const services: Service[] = [
  {
    metadata: { name: 'web', namespace: 'apps' },
    spec: {
      clusterIP: '10.96.0.20',
      clusterIPs: ['10.96.0.20', 'fd00::20'],
      ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { port: 81 }],
    },
  },
  {
    metadata: { name: 'db', namespace: 'apps' },
    spec: { clusterIP: 'None', ports: [{ name: 'pg', port: 5432 }] },
  },
  {
    metadata: { name: 'late', namespace: 'apps' },
    spec: { clusterIP: 'None', publishNotReadyAddresses: true },
  },
  {
    metadata: { name: 'ext', namespace: 'apps' },
    spec: { type: 'ExternalName', externalName: 'example.test.' },
  },
];
const endpointSlices: EndpointSlice[] = [
  endpointSlice('apps', 'db', {
    endpoints: [ready('10.244.0.5', 'db-0'), ready('10.244.0.6'), notReady('10.244.0.7')],
    ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }],
  }),
  endpointSlice('apps', 'late', { endpoints: [notReady('10.244.0.9')] }),
];
const pods: Pod[] = [
  {
    metadata: { name: 'p', namespace: 'apps' },
    status: { podIP: '10.244.0.30', podIPs: [{ ip: '10.244.0.30' }] },
  },
];

const index = buildZoneIndex({ zone: 'cluster.local', services, endpointSlices, pods });
const opts: ZoneOptions = {
  zone: 'cluster.local',
  ttl: 30,
  podMode: 'insecure',
  reverseCidrs: [parseCidr('10.96.0.0/12'), parseCidr('10.244.0.0/16')],
  serial: 1,
};

function ask(name: string, type: string, o: ZoneOptions = opts) {
  const a = answerQuestion(name, type, index, o);
  if (a.kind === 'forward') return 'forward';
  return {
    rcode: a.rcode,
    answers: a.answers.map((x) => `${x.name} ${x.type} ${JSON.stringify('data' in x ? x.data : null)}`),
    soa: a.authorities.length,
  };
}

describe('cluster zone answers', () => {
  const cases: [string, string, ReturnType<typeof ask>][] = [
    [
      'web.apps.svc.cluster.local',
      'A',
      { rcode: 'NOERROR', answers: ['web.apps.svc.cluster.local A "10.96.0.20"'], soa: 0 },
    ],
    [
      'WEB.Apps.svc.cluster.local.',
      'A',
      { rcode: 'NOERROR', answers: ['web.apps.svc.cluster.local A "10.96.0.20"'], soa: 0 },
    ],
    [
      'web.apps.svc.cluster.local',
      'AAAA',
      { rcode: 'NOERROR', answers: ['web.apps.svc.cluster.local AAAA "fd00::20"'], soa: 0 },
    ],
    ['web.apps.svc.cluster.local', 'MX', { rcode: 'NOERROR', answers: [], soa: 1 }],
    [
      '_http._tcp.web.apps.svc.cluster.local',
      'SRV',
      {
        rcode: 'NOERROR',
        answers: [
          '_http._tcp.web.apps.svc.cluster.local SRV {"priority":0,"weight":100,"port":80,"target":"web.apps.svc.cluster.local"}',
        ],
        soa: 0,
      },
    ],
    [
      'db.apps.svc.cluster.local',
      'A',
      {
        rcode: 'NOERROR',
        answers: ['db.apps.svc.cluster.local A "10.244.0.5"', 'db.apps.svc.cluster.local A "10.244.0.6"'],
        soa: 0,
      },
    ],
    [
      'db-0.db.apps.svc.cluster.local',
      'A',
      { rcode: 'NOERROR', answers: ['db-0.db.apps.svc.cluster.local A "10.244.0.5"'], soa: 0 },
    ],
    [
      '10-244-0-6.db.apps.svc.cluster.local',
      'A',
      { rcode: 'NOERROR', answers: ['10-244-0-6.db.apps.svc.cluster.local A "10.244.0.6"'], soa: 0 },
    ],
    ['10-244-0-7.db.apps.svc.cluster.local', 'A', { rcode: 'NXDOMAIN', answers: [], soa: 1 }],
    [
      '_pg._tcp.db.apps.svc.cluster.local',
      'SRV',
      {
        rcode: 'NOERROR',
        answers: [
          '_pg._tcp.db.apps.svc.cluster.local SRV {"priority":0,"weight":50,"port":5432,"target":"db-0.db.apps.svc.cluster.local"}',
          '_pg._tcp.db.apps.svc.cluster.local SRV {"priority":0,"weight":50,"port":5432,"target":"10-244-0-6.db.apps.svc.cluster.local"}',
        ],
        soa: 0,
      },
    ],
    [
      'late.apps.svc.cluster.local',
      'A',
      { rcode: 'NOERROR', answers: ['late.apps.svc.cluster.local A "10.244.0.9"'], soa: 0 },
    ],
    [
      'ext.apps.svc.cluster.local',
      'A',
      { rcode: 'NOERROR', answers: ['ext.apps.svc.cluster.local CNAME "example.test"'], soa: 0 },
    ],
    [
      '10-1-2-3.apps.pod.cluster.local',
      'A',
      { rcode: 'NOERROR', answers: ['10-1-2-3.apps.pod.cluster.local A "10.1.2.3"'], soa: 0 },
    ],
    ['not-an-ip.apps.pod.cluster.local', 'A', { rcode: 'NXDOMAIN', answers: [], soa: 1 }],
    ['apps.svc.cluster.local', 'A', { rcode: 'NOERROR', answers: [], soa: 1 }],
    ['nope.apps.svc.cluster.local', 'A', { rcode: 'NXDOMAIN', answers: [], soa: 1 }],
    [
      '20.0.96.10.in-addr.arpa',
      'PTR',
      { rcode: 'NOERROR', answers: ['20.0.96.10.in-addr.arpa PTR "web.apps.svc.cluster.local"'], soa: 0 },
    ],
    [
      '5.0.244.10.in-addr.arpa',
      'PTR',
      { rcode: 'NOERROR', answers: ['5.0.244.10.in-addr.arpa PTR "db-0.db.apps.svc.cluster.local"'], soa: 0 },
    ],
    [
      '30.0.244.10.in-addr.arpa',
      'PTR',
      {
        rcode: 'NOERROR',
        answers: ['30.0.244.10.in-addr.arpa PTR "10-244-0-30.apps.pod.cluster.local"'],
        soa: 0,
      },
    ],
    ['99.0.96.10.in-addr.arpa', 'PTR', { rcode: 'NXDOMAIN', answers: [], soa: 1 }],
    ['8.8.8.8.in-addr.arpa', 'PTR', 'forward'],
    ['example.com', 'A', 'forward'],
    ['cluster.local.example.com', 'A', 'forward'],
  ];
  for (const [name, type, want] of cases) {
    test(`${type} ${name}`, () => assert.deepEqual(ask(name, type), want));
  }

  test('the pod records honour `pods verified` and `pods disabled`', () => {
    const verified = { ...opts, podMode: 'verified' as const };
    assert.equal(
      (ask('10-244-0-30.apps.pod.cluster.local', 'A', verified) as { rcode: string }).rcode,
      'NOERROR',
    );
    assert.equal(
      (ask('10-244-0-30.other.pod.cluster.local', 'A', verified) as { rcode: string }).rcode,
      'NXDOMAIN',
    );
    assert.equal(
      (ask('10-1-2-3.apps.pod.cluster.local', 'A', verified) as { rcode: string }).rcode,
      'NXDOMAIN',
    );
    assert.equal(
      (ask('10-1-2-3.apps.pod.cluster.local', 'A', { ...opts, podMode: 'disabled' }) as { rcode: string })
        .rcode,
      'NXDOMAIN',
    );
  });

  test('the negative answers carry the zone SOA with the TTL as minimum', () => {
    const a = answerQuestion('nope.apps.svc.cluster.local', 'A', index, opts);
    assert.equal(a.kind, 'answer');
    if (a.kind !== 'answer') return;
    assert.deepEqual(a.authorities[0], {
      type: 'SOA',
      name: 'cluster.local',
      ttl: 30,
      class: 'IN',
      data: {
        mname: 'ns.dns.cluster.local',
        rname: 'hostmaster.cluster.local',
        serial: 1,
        refresh: 7200,
        retry: 1800,
        expire: 86400,
        minimum: 30,
      },
    });
  });

  test('SRV answers bring the targets’ addresses in the additional section', () => {
    const a = answerQuestion('_pg._tcp.db.apps.svc.cluster.local', 'SRV', index, opts);
    assert.ok(a.kind === 'answer');
    assert.deepEqual(
      a.additionals.map((x) => `${x.name} ${x.type === 'A' ? x.data : ''}`),
      ['db-0.db.apps.svc.cluster.local 10.244.0.5', '10-244-0-6.db.apps.svc.cluster.local 10.244.0.6'],
    );
  });

  test('reverse names parse only when complete', () => {
    assert.equal(reverseNameToIP('1.0.96.10.in-addr.arpa'), '10.96.0.1');
    assert.equal(reverseNameToIP('0.96.10.in-addr.arpa'), undefined);
    assert.equal(reverseNameToIP(`1.${'0.'.repeat(31)}ip6.arpa`), '::1');
    assert.equal(reverseNameToIP('x.ip6.arpa'), undefined);
  });
});

describe('headless records merged from several EndpointSlices (CoreDNS endpoint.go)', () => {
  const headless = (name: string, publishNotReadyAddresses = false): Service => ({
    metadata: { name, namespace: 'apps' },
    spec: { clusterIP: 'None', publishNotReadyAddresses },
  });
  const PG = [{ name: 'pg', port: 5432, protocol: 'TCP' }];
  const merged = buildZoneIndex({
    zone: 'cluster.local',
    services: [headless('pg'), headless('eager', true)],
    endpointSlices: [
      endpointSlice('apps', 'pg', { endpoints: [ready('10.244.2.1', 'pg-0')], ports: PG }, 'pg-a'),
      // The same endpoint again in a second slice, plus one not ready and one terminating.
      endpointSlice(
        'apps',
        'pg',
        {
          endpoints: [
            ready('10.244.2.1', 'pg-0'),
            ready('10.244.2.2', 'pg-1'),
            notReady('10.244.2.3', 'pg-2'),
            { addresses: ['10.244.2.4'], conditions: { ready: false, serving: true, terminating: true } },
          ],
          ports: PG,
        },
        'pg-b',
      ),
      endpointSlice('apps', 'eager', { endpoints: [notReady('10.244.2.9', 'e-0')] }),
    ],
    pods: [],
  });
  const a = (name: string, type = 'A') => {
    const r = answerQuestion(name, type, merged, opts);
    return r.kind === 'answer'
      ? r.answers.map((x) => JSON.stringify('data' in x ? x.data : null))
      : 'forward';
  };

  test('ready endpoints of every slice, each address once, with hostnames', () => {
    assert.deepEqual(a('pg.apps.svc.cluster.local'), ['"10.244.2.1"', '"10.244.2.2"']);
    assert.deepEqual(a('pg-1.pg.apps.svc.cluster.local'), ['"10.244.2.2"']);
    assert.deepEqual(a('pg-2.pg.apps.svc.cluster.local'), [], 'not ready: no name');
    assert.deepEqual(a('10-244-2-4.pg.apps.svc.cluster.local'), [], 'terminating: no name');
    assert.equal(a('_pg._tcp.pg.apps.svc.cluster.local', 'SRV').length, 2);
  });

  test('publishNotReadyAddresses publishes not-ready endpoints too', () => {
    assert.deepEqual(a('eager.apps.svc.cluster.local'), ['"10.244.2.9"']);
    assert.deepEqual(a('e-0.eager.apps.svc.cluster.local'), ['"10.244.2.9"']);
  });
});
