/**
 * Field paths and the 400 BadRequest every malformed protobuf body becomes. Paths are kept as a linked
 * list of segments and rendered only when an error is raised, so the happy path builds no strings.
 */
import { ApiError, badRequest } from '../errors.js';

/** One step of a field path: `.name`, `[3]` or `[key]`. The root is `undefined`. */
export interface PathNode {
  readonly parent: PathNode | undefined;
  readonly segment: string | number;
  /** True for map keys, rendered `[key]` rather than `.key`. */
  readonly isKey?: boolean;
}

export const childPath = (parent: PathNode | undefined, segment: string | number, isKey = false): PathNode =>
  isKey ? { parent, segment, isKey } : { parent, segment };

/** Renders `spec.template.spec.containers[0].image`; `fallback` names the root when the path is empty. */
export function renderPath(node: PathNode | undefined, fallback: string): string {
  const parts: string[] = [];
  for (let n = node; n; n = n.parent) {
    parts.push(typeof n.segment === 'number' || n.isKey ? `[${n.segment}]` : `.${n.segment}`);
  }
  const text = parts.reverse().join('');
  if (text === '') return fallback;
  return text.startsWith('.') ? text.slice(1) : text;
}

/** `<path> at byte <offset>: <reason>`, with the path also in details.causes[0].field. */
export function malformedBody(path: string, offset: number, reason: string): ApiError {
  return badRequest(`${path} at byte ${offset}: ${reason}`, [
    { reason: 'FieldValueInvalid', field: path, message: reason },
  ]);
}

/**
 * 415 for a well-formed envelope carrying a kind podbay cannot decode from protobuf. Clients that get it
 * can resend as JSON, which every kind accepts.
 */
export function unsupportedProtobufKind(apiVersion: string, kind: string): ApiError {
  return new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - kind ${JSON.stringify(kind)} in version ` +
      `${JSON.stringify(apiVersion)} cannot be decoded from application/vnd.kubernetes.protobuf; ` +
      'accepted media types include: application/json, application/yaml',
  );
}
