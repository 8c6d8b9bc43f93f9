/**
 * apiVersion and kind of a written object, as the decoder sees them: absent ones are filled in, others
 * must be the resource's own (upstream's decoding into the endpoint's type refuses anything else).
 */
import { badRequest } from '../errors.js';
import { apiVersionOf, type KubeObject, type ResourceInfo } from '../types.js';

export function setTypeMeta(info: ResourceInfo, obj: KubeObject): void {
  const want = apiVersionOf(info);
  if (obj.kind && obj.kind !== info.kind) {
    throw badRequest(
      `${obj.kind} in version "${obj.apiVersion ?? ''}" cannot be handled as a ${info.kind}: kind mismatch, expected ${info.kind}`,
    );
  }
  if (obj.apiVersion && obj.apiVersion !== want) {
    throw badRequest(
      `the API version in the data (${obj.apiVersion}) does not match the expected API version (${want})`,
    );
  }
  obj.apiVersion = want;
  obj.kind = info.kind;
}
