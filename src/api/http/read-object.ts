/**
 * The object a POST or PUT carries: decoded by Content-Type (JSON, YAML, protobuf), with Go's type checks
 * and Strict/Warn field validation for the text formats (warnings go to the response header).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest } from '../errors.js';
import type { KubeObject, ResourceInfo } from '../types.js';
import { decodeObjectBody, mediaType, readBody } from './body.js';
import { checkFieldTypes } from './field-types.js';
import { checkUnknownFields, type FieldValidation } from './field-validation.js';

export async function readObject(
  req: IncomingMessage,
  res: ServerResponse,
  info: ResourceInfo,
  fv: FieldValidation,
): Promise<KubeObject> {
  const body = await readBody(req);
  const obj = decodeObjectBody(body, req.headers['content-type']);
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw badRequest(
      `the request body must be a ${info.kind} object, not ${Array.isArray(obj) ? 'an array' : JSON.stringify(obj)}`,
    );
  }
  if (mediaType(req.headers['content-type']) !== 'application/vnd.kubernetes.protobuf') {
    checkFieldTypes(info, obj as KubeObject);
    checkUnknownFields(info, obj as KubeObject, fv, res);
  }
  const o = obj as KubeObject;
  if (
    o.metadata !== undefined &&
    (o.metadata === null || typeof o.metadata !== 'object' || Array.isArray(o.metadata))
  ) {
    throw badRequest(
      `${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}: metadata must be an object`,
    );
  }
  return o;
}
