import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expectApiError } from '../testing/api-errors.js';
import { parseDeleteOptions } from './delete-options.js';

const parse =
  (body: string, query = '') =>
  () =>
    parseDeleteOptions(Buffer.from(body), new URLSearchParams(query));

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

  test('body fields of the wrong type and malformed query integers are 400s naming the field', () => {
    expectApiError(
      parse('{"dryRun":"All"}'),
      400,
      "couldn't decode DeleteOptions: json: cannot unmarshal string into Go struct field DeleteOptions.dryRun of type []string",
    );
    expectApiError(
      parse('{"propagationPolicy":5}'),
      400,
      /number 5 into Go struct field DeleteOptions.propagationPolicy/,
    );
    expectApiError(
      parse('{"gracePeriodSeconds":1.5}'),
      400,
      /DeleteOptions.gracePeriodSeconds of type int64/,
    );
    expectApiError(
      parse('{"preconditions":{"uid":5}}'),
      400,
      /DeleteOptions.preconditions.uid of type string/,
    );
    expectApiError(parse('{"preconditions":"x"}'), 400, /DeleteOptions.preconditions of type Preconditions/);
    expectApiError(
      parse('', 'gracePeriodSeconds=1e3'),
      400,
      'gracePeriodSeconds: strconv.ParseInt: parsing "1e3": invalid syntax',
    );
    expectApiError(parse('[]'), 400, 'DeleteOptions must be an object');
  });
});
