/**
 * The HTTP side of `POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token` (what
 * `kubectl create token` sends): decodes the TokenRequest body (protobuf, as kubectl sends it,
 * JSON or YAML), runs
 * token-request.ts and answers 201 Created with the TokenRequest and its status, as
 * kube-apiserver's create handler does. Registered in ApiServerOptions.subresources under the
 * key `serviceaccounts/token`.
 */
import { methodNotAllowed } from '../../errors.js';
import { decodeObjectBody, mediaType, readBody } from '../../http/body.js';
import type { SubresourceHandler } from '../../http/resource-handler.js';
import { sendJSON } from '../../http/respond.js';
import { PROTOBUF_CONTENT_TYPE } from '../../protobuf/decode.js';
import { createToken, parseTokenRequest, type TokenRequestDeps } from './token-request.js';
import { decodeTokenRequestProtobuf } from './token-request-protobuf.js';

export const TOKEN_SUBRESOURCE_KEY = 'serviceaccounts/token';

export function serviceAccountTokenHandler(deps: TokenRequestDeps): SubresourceHandler {
  return async (req, res, r) => {
    if (req.method !== 'POST')
      throw methodNotAllowed('the server does not allow this method on the requested resource');
    const body = await readBody(req);
    const contentType = req.headers['content-type'];
    const request =
      mediaType(contentType) === PROTOBUF_CONTENT_TYPE
        ? decodeTokenRequestProtobuf(body)
        : decodeObjectBody(body, contentType);
    sendJSON(res, 201, createToken(deps, r.namespace ?? '', r.name ?? '', parseTokenRequest(request)));
  };
}
