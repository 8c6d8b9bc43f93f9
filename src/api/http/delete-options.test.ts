import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { envelope } from '../protobuf/testing/proto-writer.js';
import { expectApiError } from '../testing/api-errors.js';
import { parseDeleteOptions } from './delete-options.js';

const parse =
  (body: string | Buffer, query = '', contentType = 'application/json') =>
  () =>
    parseDeleteOptions(
      typeof body === 'string' ? Buffer.from(body) : body,
      contentType,
      new URLSearchParams(query),
    );

/** The scheme kube-apiserver decodes DeleteOptions with names itself so in its errors. */
const SCHEME = 'pkg/apis/meta/internalversion/scheme/register.go:27';
const FIND_KIND =
  'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

describe('DeleteOptions', () => {
  test('what kubectl sends', () => {
    assert.deepEqual(
      parse(
        '{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Foreground","gracePeriodSeconds":0}',
      )(),
      { propagationPolicy: 'Foreground', gracePeriodSeconds: 0 },
    );
    assert.deepEqual(parse('{"dryRun":["All"],"preconditions":{"uid":"u","resourceVersion":null}}')(), {
      dryRun: true,
      preconditions: { uid: 'u' },
    });
    assert.deepEqual(parse('', 'orphanDependents=1&gracePeriodSeconds=5')(), {
      propagationPolicy: 'Orphan',
      gracePeriodSeconds: 5,
    });
  });

  test('a body is the whole of the options: the query is read only when there is no body', () => {
    // The query used to win over the body, field by field.
    assert.deepEqual(parse('{"gracePeriodSeconds":30}', 'gracePeriodSeconds=0&propagationPolicy=Orphan')(), {
      gracePeriodSeconds: 30,
    });
    // Even invalid query options are not looked at.
    assert.deepEqual(parse('{}', 'propagationPolicy=Bogus&gracePeriodSeconds=x&dryRun=all')(), {});
    assert.deepEqual(parse('', 'propagationPolicy=Foreground&dryRun=All')(), {
      propagationPolicy: 'Foreground',
      dryRun: true,
    });
  });

  test('the body is decoded by its Content-Type: YAML and protobuf too; another type is a 415', () => {
    const yaml = 'apiVersion: v1\nkind: DeleteOptions\ngracePeriodSeconds: 0\npropagationPolicy: Orphan\n';
    assert.deepEqual(parse(yaml, '', 'application/yaml')(), {
      gracePeriodSeconds: 0,
      propagationPolicy: 'Orphan',
    });
    const proto = envelope('apps/v1', 'DeleteOptions', (d) => d.varint(1, 7).string(4, 'Foreground'));
    assert.deepEqual(parse(proto, '', 'application/vnd.kubernetes.protobuf')(), {
      gracePeriodSeconds: 7,
      propagationPolicy: 'Foreground',
    });
    // No Content-Type is JSON, as upstream's negotiation takes the first serializer.
    assert.deepEqual(parse('{"gracePeriodSeconds":1}', '', '')(), { gracePeriodSeconds: 1 });
    expectApiError(
      parse('{"gracePeriodSeconds":1}', '', 'text/plain'),
      415,
      'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf',
    );
  });

  test('DeleteOptions decodes under any apiVersion, and without apiVersion or kind', () => {
    for (const body of [
      '{"apiVersion":"apps/v1","kind":"DeleteOptions"}',
      '{"apiVersion":"policy/v1","kind":"DeleteOptions"}',
      '{"apiVersion":"meta.k8s.io/v1"}',
      '{"kind":"DeleteOptions"}',
      '{}',
      'null',
    ]) {
      assert.deepEqual(parse(body)(), {}, body);
    }
  });

  test('another kind is a 400: not registered in the meta scheme, or not convertible', () => {
    // Each of these deleted the object as if it had no options.
    expectApiError(
      parse('{"apiVersion":"v1","kind":"Pod"}'),
      400,
      `no kind "Pod" is registered for version "v1" in scheme "${SCHEME}"`,
    );
    expectApiError(
      parse('{"kind":"Pod"}'),
      400,
      `no kind "Pod" is registered for version "meta.k8s.io/v1" in scheme "${SCHEME}"`,
    );
    expectApiError(
      parse('{"apiVersion":"apps/__internal","kind":"Deployment"}'),
      400,
      `no kind "Deployment" is registered for the internal version of group "apps" in scheme "${SCHEME}"`,
    );
    expectApiError(
      parse('{"apiVersion":"v1","kind":"APIResourceList"}'),
      400,
      'converting (v1.APIResourceList) to (v1.DeleteOptions): unknown conversion',
    );
    expectApiError(
      parse('{"apiVersion":"meta.k8s.io/v1beta1","kind":"PartialObjectMetadataList"}'),
      400,
      'converting (v1beta1.PartialObjectMetadataList) to (v1.DeleteOptions): unknown conversion',
    );
    expectApiError(
      parse('{"apiVersion":"apps/v1","kind":"GetOptions"}'),
      400,
      `no kind "GetOptions" is registered for version "apps/v1" in scheme "${SCHEME}"`,
    );
    // encoding/json matches apiVersion and kind case-insensitively.
    expectApiError(parse('{"KIND":"Pod"}'), 400, /no kind "Pod" is registered/);
    const proto = envelope('v1', 'Pod', () => undefined);
    expectApiError(
      parse(proto, '', 'application/vnd.kubernetes.protobuf'),
      400,
      `no kind "Pod" is registered for version "v1" in scheme "${SCHEME}"`,
    );
  });

  test('apiVersion and kind that do not decode are 400s with the meta factory text', () => {
    expectApiError(parse('{"apiVersion":"a/b/c"}'), 400, 'unexpected GroupVersion string: a/b/c');
    expectApiError(
      parse('{"apiVersion":"apps/"}'),
      400,
      `Object 'apiVersion' is missing in '{"apiVersion":"apps/"}'`,
    );
    expectApiError(
      parse('{"apiVersion":false,"kind":"DeleteOptions"}'),
      400,
      "couldn't get version/kind; json parse error: json: cannot unmarshal bool into Go struct field .apiVersion of type string",
    );
    expectApiError(
      parse('[]'),
      400,
      `couldn't get version/kind; json parse error: json: cannot unmarshal array into Go value of type ${FIND_KIND}`,
    );
    expectApiError(
      parse('5'),
      400,
      `couldn't get version/kind; json parse error: json: cannot unmarshal number into Go value of type ${FIND_KIND}`,
    );
    expectApiError(parse('{"gracePeriodSeconds":'), 400, /^couldn't decode DeleteOptions as JSON/);
  });

  test('a dryRun other than All is a 422 (it was taken as All: the request succeeded)', () => {
    expectApiError(
      parse('', 'dryRun=all'),
      422,
      'DeleteOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"all"}: supported values: "All"',
    );
    expectApiError(parse('{"dryRun":["Bogus"]}'), 422, /dryRun: Unsupported value: \[\]string\{"Bogus"\}/);
  });

  test('propagationPolicy: unknown, or together with orphanDependents, is a 422 with upstream text', () => {
    expectApiError(
      parse('', 'propagationPolicy=Bogus'),
      422,
      'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Bogus": supported values: "Foreground", "Background", "Orphan", "nil"',
    );
    expectApiError(
      parse('{"orphanDependents":true,"propagationPolicy":"Background"}'),
      422,
      'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "Background": orphanDependents and deletionPropagation cannot be both set',
    );
  });

  test("body fields of the wrong type are 400s with Go's decoder text; malformed query integers too", () => {
    const cases: [string, string][] = [
      [
        '{"dryRun":"All"}',
        'json: cannot unmarshal string into Go struct field DeleteOptions.dryRun of type []string',
      ],
      [
        '{"dryRun":[5]}',
        'json: cannot unmarshal number into Go struct field DeleteOptions.dryRun of type string',
      ],
      [
        '{"propagationPolicy":5}',
        'json: cannot unmarshal number into Go struct field DeleteOptions.propagationPolicy of type v1.DeletionPropagation',
      ],
      [
        '{"gracePeriodSeconds":1.5}',
        'json: cannot unmarshal number 1.5 into Go struct field DeleteOptions.gracePeriodSeconds of type int64',
      ],
      [
        '{"orphanDependents":"randomString"}',
        'json: cannot unmarshal string into Go struct field DeleteOptions.orphanDependents of type bool',
      ],
      [
        '{"preconditions":{"uid":5}}',
        'json: cannot unmarshal number into Go struct field Preconditions.preconditions.uid of type types.UID',
      ],
      [
        '{"preconditions":"x"}',
        'json: cannot unmarshal string into Go struct field DeleteOptions.preconditions of type v1.Preconditions',
      ],
      [
        '{"ignoreStoreReadErrorWithClusterBreakingPotential":1}',
        'json: cannot unmarshal number into Go struct field DeleteOptions.ignoreStoreReadErrorWithClusterBreakingPotential of type bool',
      ],
      // The first mismatch in document order is the one reported.
      [
        '{"orphanDependents":1,"gracePeriodSeconds":"x"}',
        'json: cannot unmarshal number into Go struct field DeleteOptions.orphanDependents of type bool',
      ],
    ];
    for (const [body, message] of cases) expectApiError(parse(body), 400, message);
    // Unknown fields, object-prototype names included, are ignored as Go's decoder ignores them.
    assert.deepEqual(parse('{"toString":1,"__proto__":2,"GracePeriodSeconds":"x"}')(), {});
    expectApiError(
      parse('', 'gracePeriodSeconds=1e3'),
      400,
      'strconv.ParseInt: parsing "1e3": invalid syntax',
    );
  });
});
