import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, test } from 'node:test';
import { expectApiError } from '../../testing/api-errors.js';
import type { TokenRequestDeps } from './token-request.js';
import { serviceAccountTokenHandler } from './token-subresource.js';

describe('POST serviceaccounts/token', () => {
  test('CreateOptions are validated before anything is issued (dryRun=bogus issued a token)', async () => {
    const handler = serviceAccountTokenHandler({} as TokenRequestDeps);
    const r = {
      group: '',
      version: 'v1',
      namespace: 'default',
      resource: 'serviceaccounts',
      name: 'default',
      subresource: 'token',
    };
    const req = { method: 'POST', headers: {} } as IncomingMessage;
    let err: unknown;
    try {
      await handler(req, {} as ServerResponse, r, new URL('https://localhost/x?dryRun=bogus'));
    } catch (e) {
      err = e;
    }
    expectApiError(
      () => {
        throw err;
      },
      422,
      'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"bogus"}: supported values: "All"',
    );
  });
});
