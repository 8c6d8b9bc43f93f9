/**
 * The HTTP side of `POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token` (what
 * `kubectl create token` sends): decodes the TokenRequest body (protobuf, as kubectl sends it,
 * JSON or YAML), runs
 * token-request.ts and answers 201 Created with the TokenRequest and its status, as
 * kube-apiserver's create handler does. Registered in ApiServerOptions.subresources under the
 * key `serviceaccounts/token`.
 */
import type { TokenRequest } from 'kubernetes-types/authentication/v1';
import { methodNotAllowed } from '../../errors.js';
import { decodeObjectBody, mediaType, readBody } from '../../http/body.js';
import type { SubresourceHandler } from '../../http/resource-handler.js';
import { sendJSON } from '../../http/respond.js';
import { parseWriteOptions } from '../../http/write-options.js';
import { decodeKubernetesProtobuf, PROTOBUF_CONTENT_TYPE } from '../../protobuf/decode.js';
import { unsupportedProtobufKind } from '../../protobuf/decode-error.js';
import {
  createToken,
  parseTokenRequest,
  TOKEN_REQUEST_API_VERSION,
  type TokenRequestDeps,
} from './token-request.js';

export const TOKEN_SUBRESOURCE_KEY = 'serviceaccounts/token';

/**
 * A TokenRequest sent as protobuf (client-go's typed client, so `kubectl create token`, never falls back to
 * JSON), through the shared decoder; any other kind in the envelope is a 415, as for other resources.
 */
export function decodeTokenRequestProtobuf(body: Buffer): TokenRequest {
  const obj = decodeKubernetesProtobuf(body);
  if (obj.apiVersion !== TOKEN_REQUEST_API_VERSION || obj.kind !== 'TokenRequest')
    throw unsupportedProtobufKind(obj.apiVersion, obj.kind);
  return obj as unknown as TokenRequest;
}

export function serviceAccountTokenHandler(deps: TokenRequestDeps): SubresourceHandler {
  return async (req, res, r, url) => {
    if (req.method !== 'POST')
      throw methodNotAllowed('the server does not allow this method on the requested resource');
    // A create: its CreateOptions are validated as for any other (dryRun=bogus was taken as a real request).
    parseWriteOptions(url.searchParams, 'Create');
    const body = await readBody(req);
    const contentType = req.headers['content-type'];
    const request =
      mediaType(contentType) === PROTOBUF_CONTENT_TYPE
        ? decodeTokenRequestProtobuf(body)
        : decodeObjectBody(body, contentType);
    sendJSON(res, 201, createToken(deps, r.namespace ?? '', r.name ?? '', parseTokenRequest(request)));
  };
}
