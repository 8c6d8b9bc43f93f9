import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CustomResourceDefinition } from 'kubernetes-types/apiextensions/v1';
import { formatFieldError } from '../../validation/field.js';
import { establish, isEstablished } from './naming.js';
import { validateCustomResourceDefinition, validateCustomResourceDefinitionUpdate } from './validation.js';

const crd = (mutate: (c: CustomResourceDefinition) => void = () => {}): CustomResourceDefinition => {
  const c: CustomResourceDefinition = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'crontabs.stable.example.com' },
    spec: {
      group: 'stable.example.com',
      scope: 'Namespaced',
      names: {
        plural: 'crontabs',
        singular: 'crontab',
        kind: 'CronTab',
        listKind: 'CronTabList',
        shortNames: ['ct'],
      },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: { spec: { type: 'object', properties: { cronSpec: { type: 'string' } } } },
            },
          },
        },
      ],
    },
  };
  mutate(c);
  return c;
};
const errors = (c: CustomResourceDefinition) => validateCustomResourceDefinition(c).map(formatFieldError);
type W = { -readonly [K in keyof CustomResourceDefinition['spec']]: CustomResourceDefinition['spec'][K] };
const spec = (c: CustomResourceDefinition) => c.spec as W;

describe('CustomResourceDefinition validation', () => {
  test('the docs CronTab is valid', () => assert.deepEqual(errors(crd()), []));

  const cases: [string, (c: CustomResourceDefinition) => void, string[]][] = [
    [
      'name must be <plural>.<group>',
      (c) => {
        c.metadata!.name = 'crontab.stable.example.com';
      },
      [
        'metadata.name: Invalid value: "crontab.stable.example.com": must be spec.names.plural+"."+spec.group',
      ],
    ],
    [
      'group needs a dot',
      (c) => {
        spec(c).group = 'stable';
        c.metadata!.name = 'crontabs.stable';
      },
      ['spec.group: Invalid value: "stable": should be a domain with at least one dot'],
    ],
    [
      'scope is Cluster or Namespaced',
      (c) => {
        spec(c).scope = 'Global';
      },
      ['spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"'],
    ],
    [
      'exactly one storage version',
      (c) => {
        spec(c).versions = [
          { ...c.spec.versions[0]!, storage: true },
          { ...c.spec.versions[0]!, name: 'v2', storage: true },
        ];
      },
      ['spec.versions: Invalid value: [v1 v2]: must have exactly one version marked as storage version'],
    ],
    [
      'version names are unique DNS-1035 labels',
      (c) => {
        spec(c).versions = [c.spec.versions[0]!, { ...c.spec.versions[0]!, storage: false }];
      },
      ['spec.versions[1].name: Invalid value: "v1": must be unique'],
    ],
    [
      'a schema is required in v1',
      (c) => {
        delete (spec(c).versions[0] as { schema?: unknown }).schema;
      },
      ['spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required'],
    ],
    [
      'every specified field has a type',
      (c) => {
        spec(c).versions[0]!.schema!.openAPIV3Schema!.properties!.spec!.properties!.cronSpec = {};
      },
      [
        'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[cronSpec].type: Required value: must not be empty for specified object fields',
      ],
    ],
    [
      'metadata at the root holds name and generateName only',
      (c) => {
        spec(c).versions[0]!.schema!.openAPIV3Schema!.properties!.metadata = {
          type: 'object',
          properties: { labels: { type: 'object' } },
        };
      },
      [
        'spec.versions[0].schema.openAPIV3Schema.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified',
      ],
    ],
    [
      'the root is an object',
      (c) => {
        spec(c).versions[0]!.schema!.openAPIV3Schema = { type: 'string' };
      },
      ['spec.versions[0].schema.openAPIV3Schema.type: Invalid value: "string": must be object at the root'],
    ],
    [
      'kind and listKind differ; short names are DNS-1035 labels',
      (c) => {
        spec(c).names = { ...c.spec.names, listKind: 'CronTab', shortNames: ['c_t'] };
      },
      [
        "spec.names.shortNames[0]: Invalid value: \"c_t\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
        'spec.names.listKind: Invalid value: "CronTab": kind and listKind may not be the same',
      ],
    ],
  ];
  for (const [name, mutate, want] of cases) test(name, () => assert.deepEqual(errors(crd(mutate)), want));

  test('group and scope are immutable; stored versions stay in spec.versions', () => {
    const old = crd((c) => {
      (c as { status?: unknown }).status = { storedVersions: ['v1'], acceptedNames: c.spec.names };
    });
    const next = crd((c) => {
      spec(c).scope = 'Cluster';
      spec(c).versions = [{ ...c.spec.versions[0]!, name: 'v2' }];
    });
    assert.deepEqual(validateCustomResourceDefinitionUpdate(next, old).map(formatFieldError), [
      'spec.scope: Invalid value: "Cluster": field is immutable',
      'status.storedVersions[0]: Invalid value: "v1": must appear in spec.versions',
    ]);
  });
});

describe('naming and establishing', () => {
  const NOW = '2024-01-01T00:00:00Z';
  test('names without conflict are accepted and the CRD established at once', () => {
    const c = crd();
    establish(c, [], NOW);
    assert.deepEqual(c.status?.acceptedNames, c.spec.names);
    assert.deepEqual(c.status?.storedVersions, ['v1']);
    assert.deepEqual(
      c.status?.conditions?.map((x) => [x.type, x.status, x.reason]),
      [
        ['NamesAccepted', 'True', 'NoConflicts'],
        ['Established', 'True', 'InitialNamesAccepted'],
      ],
    );
    assert.ok(isEstablished(c));
  });
  test('a plural or short name another CRD of the group accepted is refused', () => {
    const first = crd();
    establish(first, [], NOW);
    const second = crd((c) => {
      c.metadata!.name = 'crontabs2.stable.example.com';
      spec(c).names = {
        plural: 'crontabs2',
        singular: 'crontab2',
        kind: 'CronTab2',
        listKind: 'CronTab2List',
        shortNames: ['ct'],
      };
    });
    establish(second, [first], NOW);
    assert.equal(isEstablished(second), false);
    const cond = second.status?.conditions?.find((x) => x.type === 'NamesAccepted');
    assert.deepEqual(
      [cond?.status, cond?.reason, cond?.message],
      ['False', 'NameConflict', '"ct" is already in use'],
    );
  });
});
