/**
 * Turns storage errors into API errors at one seam, per verb, as apiserver's
 * storage/errors.go does: the store speaks of keys and revisions, clients of resources and names.
 */
import { isStoreError } from '../../store/errors.js';
import {
  ApiError,
  alreadyExists,
  conflict,
  expired,
  internalError,
  notFound,
  OPTIMISTIC_LOCK_MSG,
} from '../errors.js';
import type { ResourceInfo } from '../types.js';

export function interpretStoreError(
  e: unknown,
  info: Pick<ResourceInfo, 'group' | 'resource'>,
  name: string,
): ApiError {
  if (e instanceof ApiError) return e;
  if (isStoreError(e, 'Exists')) return alreadyExists(info, name);
  if (isStoreError(e, 'NotFound')) return notFound(info, name);
  if (isStoreError(e, 'Conflict')) return conflict(info, name, OPTIMISTIC_LOCK_MSG);
  if (isStoreError(e, 'Compacted')) return expired(e.message);
  return internalError((e as Error)?.message ?? String(e));
}
