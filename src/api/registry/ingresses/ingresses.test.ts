import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Ingress, IngressBackend, IngressRule } from 'kubernetes-types/networking/v1';
import { formatFieldError } from '../../validation/field.js';
import { NOW } from '../printers/testing/pod-fixtures.js';
import { formatHosts, ingressTable } from './table.js';
import { validateIngressCreate, validateIngressUpdate } from './validation.js';

const svc = (name: string, port: { number?: number; name?: string } = { number: 80 }): IngressBackend => ({
  service: { name, port },
});

const ing = (spec: Ingress['spec'], metadata: Ingress['metadata'] = {}): Ingress => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'demo', namespace: 'default', ...metadata },
  spec,
});

/** A rule with one path per [path, pathType] (pathType undefined: not sent). */
const rule = (host: string | undefined, ...paths: [string, string | undefined][]): IngressRule =>
  ({
    ...(host !== undefined && { host }),
    http: {
      paths: paths.map(([path, pathType]) => ({ path, ...(pathType && { pathType }), backend: svc('web') })),
    },
  }) as IngressRule;

const errors = (i: Ingress) => validateIngressCreate(i).map(formatFieldError);

// Messages as pkg/apis/networking/validation (1.32) and its validation_test.go cases.
describe('Ingress validation', () => {
  test('what kubectl create ingress sends is valid', () => {
    assert.deepEqual(errors(ing({ rules: [rule('foo.local', ['/a', 'Prefix'], ['/b', 'Exact'])] })), []);
    assert.deepEqual(errors(ing({ defaultBackend: svc('web') })), []);
    assert.deepEqual(errors(ing({ rules: [rule('*.foo.com', ['/', 'ImplementationSpecific'])] })), []);
  });

  test('a defaultBackend or rules', () => {
    assert.deepEqual(errors(ing({})), [
      'spec: Invalid value: "null": either `defaultBackend` or `rules` must be specified',
    ]);
  });

  const cases: [string, Ingress['spec'], string[]][] = [
    [
      'an IP is not a host',
      { rules: [rule('1.2.3.4', ['/', 'Prefix'])] },
      ['spec.rules[0].host: Invalid value: "1.2.3.4": must be a DNS name, not an IP address'],
    ],
    [
      'a wildcard is one leading label',
      { rules: [rule('foo.*.bar.com', ['/', 'Prefix'])] },
      [
        `spec.rules[0].host: Invalid value: "foo.*.bar.com": a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      ],
    ],
    [
      'pathType is required',
      { rules: [rule('foo.com', ['/', undefined])] },
      ['spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified'],
    ],
    [
      'pathType is one of three',
      { rules: [rule('foo.com', ['/', 'Regex'])] },
      [
        'spec.rules[0].http.paths[0].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"',
      ],
    ],
    [
      'Exact and Prefix paths are absolute and clean',
      {
        rules: [
          rule('foo.com', ['foo', 'Exact'], ['/a//b', 'Prefix'], ['/a/..', 'Prefix'], ['/a%2Fb', 'Exact']),
        ],
      },
      [
        'spec.rules[0].http.paths[0].path: Invalid value: "foo": must be an absolute path',
        'spec.rules[0].http.paths[1].path: Invalid value: "/a//b": must not contain \'//\'',
        'spec.rules[0].http.paths[2].path: Invalid value: "/a/..": cannot end with \'/..\'',
        'spec.rules[0].http.paths[3].path: Invalid value: "/a%2Fb": must not contain \'%2F\'',
      ],
    ],
    [
      'ImplementationSpecific may be empty but not relative',
      { rules: [rule('foo.com', ['', 'ImplementationSpecific'], ['a//b', 'ImplementationSpecific'])] },
      ['spec.rules[0].http.paths[1].path: Invalid value: "a//b": must be an absolute path'],
    ],
    [
      'paths are required under http',
      { rules: [{ host: 'foo.com', http: { paths: [] } }] },
      ['spec.rules[0].http.paths: Required value'],
    ],
  ];
  for (const [name, spec, want] of cases) test(name, () => assert.deepEqual(errors(ing(spec)), want));

  test('backends: service xor resource, port name xor number', () => {
    const b = (backend: IngressBackend) => errors(ing({ defaultBackend: backend }));
    assert.deepEqual(
      b({ service: { name: 'web', port: { number: 80 } }, resource: { kind: 'B', name: 'b' } }),
      ['spec.defaultBackend: Invalid value: "": cannot set both resource and service backends'],
    );
    assert.deepEqual(b({}), [
      'spec.defaultBackend: Invalid value: "": resource or service backend is required',
    ]);
    assert.deepEqual(b(svc('web', {})), [
      'spec.defaultBackend: Required value: port name or number is required',
    ]);
    assert.deepEqual(b(svc('web', { name: 'http', number: 80 })), [
      'spec.defaultBackend: Invalid value: "": cannot set both port name & port number',
    ]);
    assert.deepEqual(b(svc('web', { number: 70000 })), [
      'spec.defaultBackend.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ]);
    assert.deepEqual(b(svc('1web', { name: 'http' })), [
      `spec.defaultBackend.service.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    ]);
    assert.deepEqual(b({ service: { name: '', port: { number: 80 } } }), [
      'spec.defaultBackend.service.name: Required value',
    ]);
    assert.deepEqual(b({ resource: { apiGroup: 'example.com', kind: 'Bucket', name: '' } }), [
      'spec.defaultBackend.resource.name: Required value',
    ]);
  });

  test('tls hosts and secretName; ingressClassName', () => {
    assert.deepEqual(
      errors(
        ing({
          defaultBackend: svc('web'),
          tls: [{ hosts: ['foo.com', '*.foo.com', 'Bad_Host'], secretName: 'Bad' }],
          ingressClassName: 'UPPER',
        }),
      ).map((e) => e.slice(0, e.indexOf(':', e.indexOf(':') + 1))),
      [
        'spec.tls[0].hosts[2]: Invalid value',
        'spec.tls[0].secretName: Invalid value',
        'spec.ingressClassName: Invalid value',
      ],
    );
  });

  test('the class annotation must agree with ingressClassName on create', () => {
    assert.deepEqual(
      errors(
        ing(
          { defaultBackend: svc('web'), ingressClassName: 'podbay' },
          { annotations: { 'kubernetes.io/ingress.class': 'nginx' } },
        ),
      ),
      [
        'annotations.kubernetes.io/ingress.class: Invalid value: "nginx": must match `ingressClassName` when both are specified',
      ],
    );
  });

  test('an update may keep an already-invalid secret name; status addresses are checked', () => {
    const old = ing({ defaultBackend: svc('web'), tls: [{ secretName: 'Bad' }] });
    assert.deepEqual(validateIngressUpdate(old, old), []);
    const withStatus: Ingress = {
      ...ing({ defaultBackend: svc('web') }),
      status: { loadBalancer: { ingress: [{ ip: 'x' }, { hostname: '1.2.3.4' }] } },
    };
    assert.deepEqual(validateIngressUpdate(withStatus, withStatus).map(formatFieldError), [
      'status.loadBalancer.ingress[0].ip: Invalid value: "x": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      'status.loadBalancer.ingress[1].hostname: Invalid value: "1.2.3.4": must be a DNS name, not an IP address',
    ]);
  });
});

describe('ingressTable', () => {
  test('columns as printers.go ingressColumnDefinitions', () => {
    assert.deepEqual(
      ingressTable.columns.map((c) => c.name),
      ['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age'],
    );
  });
  // printers_test.go TestPrintIngress and formatHosts.
  test('row: class, hosts, sorted addresses, ports', () => {
    const i: Ingress = {
      ...ing({ rules: [rule('foo.bar.com', ['/', 'Prefix'])], tls: [{ hosts: ['foo.bar.com'] }] }),
      status: {
        loadBalancer: { ingress: [{ ip: '2.3.4.5' }, { ip: '1.2.3.4' }, { hostname: 'lb.example' }] },
      },
    };
    assert.deepEqual(ingressTable.row(i, NOW).slice(0, 5), [
      'demo',
      '<none>',
      'foo.bar.com',
      '1.2.3.4,2.3.4.5,lb.example',
      '80, 443',
    ]);
    assert.deepEqual(
      ingressTable.row(ing({ defaultBackend: svc('web'), ingressClassName: 'podbay' }), NOW).slice(0, 5),
      ['demo', 'podbay', '*', '', '80'],
    );
  });
  test('formatHosts: three hosts, then a count of the remaining rules', () => {
    const r = (h?: string) => ({ ...(h && { host: h }) });
    assert.equal(formatHosts([r('a'), r(), r('b')]), 'a,b');
    assert.equal(formatHosts([r('a'), r('b'), r('c'), r('d'), r()]), 'a,b,c + 2 more...');
    assert.equal(formatHosts([r()]), '*');
  });
});
