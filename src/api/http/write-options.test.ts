import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expectApiError } from '../testing/api-errors.js';
import { parseWriteOptions } from './write-options.js';

const q = (s: string) => new URLSearchParams(s);
const APPLY = 'application/apply-patch+yaml';
const MERGE = 'application/merge-patch+json';

describe('Create/Update/PatchOptions', () => {
  test('what kubectl sends passes', () => {
    assert.deepEqual(parseWriteOptions(q('fieldManager=kubectl-create&fieldValidation=Strict'), 'Create'), {
      dryRun: false,
      fieldManager: 'kubectl-create',
      fieldValidation: 'Strict',
      force: false,
    });
    assert.equal(
      parseWriteOptions(q('fieldManager=kubectl&force=true&dryRun=All'), 'Patch', APPLY).force,
      true,
    );
    assert.equal(parseWriteOptions(q('fieldValidation='), 'Update').fieldValidation, 'Strict');
    assert.equal(parseWriteOptions(q('fieldManager=ümlaut 😀'), 'Update').fieldManager, 'ümlaut 😀');
  });

  test('force on a non-apply patch, apply without a fieldManager: 422 on PatchOptions (force was ignored)', () => {
    expectApiError(
      () => parseWriteOptions(q('force=true'), 'Patch', MERGE),
      422,
      'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch',
    );
    expectApiError(
      () => parseWriteOptions(q(''), 'Patch', APPLY),
      422,
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );
  });

  test('dryRun, fieldValidation and fieldManager values as upstream validates them', () => {
    expectApiError(
      () => parseWriteOptions(q('dryRun=all'), 'Create'),
      422,
      'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"all"}: supported values: "All"',
    );
    expectApiError(
      () => parseWriteOptions(q('fieldValidation=strict'), 'Update'),
      422,
      'UpdateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "strict": supported values: "", "Ignore", "Strict", "Warn"',
    );
    expectApiError(
      () => parseWriteOptions(q(`fieldManager=${'x'.repeat(129)}`), 'Create'),
      422,
      'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes',
    );
    expectApiError(
      () => parseWriteOptions(q('fieldManager=a%07b'), 'Patch', MERGE),
      422,
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Invalid value: "a\\u0007b": invalid character U+0007 (at position 1)',
    );
  });
});
