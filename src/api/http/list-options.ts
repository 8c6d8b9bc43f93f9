/**
 * ListOptions from the query string of a list or watch, decoded and validated as kube-apiserver
 * does (metainternalversion ParameterCodec, then ValidateListOptions):
 *  - integers (limit, timeoutSeconds) are Go int64s: anything else is a 400 with strconv's text
 *    alone, as runtime.Convert_Slice_string_To_int64 returns it (it does not name the parameter);
 *  - booleans are false only for "0" and "false" (any case), true otherwise, as upstream's
 *    Convert_Slice_string_To_bool (`?watch=yes` is a watch);
 *  - resourceVersionMatch and sendInitialEvents follow ValidateListOptions (422 Invalid on
 *    ListOptions.meta.k8s.io). Watch-list (sendInitialEvents on a watch) is not served here, so it
 *    is refused as upstream refuses it without the WatchList feature gate; client-go then falls
 *    back to list and watch.
 */
import { badRequest } from '../errors.js';
import { type FieldError, forbidden, invalid, notSupported } from '../validation/field.js';

export interface ListOptions {
  watch: boolean;
  allowWatchBookmarks: boolean;
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion: string | null;
  timeoutSeconds?: number;
  /** Validated but not honoured: every list is whole and carries no continue token (clients then stop paging). */
  limit?: number;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * A query parameter as Go's strconv.ParseInt(s, 10, 64) reads it (the first value); undefined when
 * absent. The 400 carries strconv's error as upstream's parameter codec returns it, without the
 * parameter's name.
 */
export function queryInt64(q: URLSearchParams, name: string): number | undefined {
  const raw = q.get(name);
  if (raw === null) return undefined;
  if (!/^[+-]?\d+$/.test(raw))
    throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(raw)}: invalid syntax`);
  const n = BigInt(raw);
  if (n < INT64_MIN || n > INT64_MAX)
    throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(raw)}: value out of range`);
  return Number(n);
}

/**
 * A resourceVersion to list or watch from: unset, "" and "0" mean any (the newest), otherwise a
 * revision (this store's resourceVersions are its revisions); anything else is a 400.
 */
export function parseResourceVersion(rv: string | null): number | null {
  if (rv === null || rv === '' || rv === '0') return null;
  const n = /^\d+$/.test(rv) ? Number(rv) : Number.NaN;
  if (!Number.isSafeInteger(n))
    throw badRequest(`invalid resourceVersion ${JSON.stringify(rv)}: must be a non-negative integer`);
  return n;
}

/** A boolean query parameter as upstream converts it: absent, "0" and "false" are false. */
export function queryBool(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v !== null && v !== '0' && v.toLowerCase() !== 'false';
}

export function parseListOptions(q: URLSearchParams): ListOptions {
  const watch = queryBool(q, 'watch');
  const timeoutSeconds = queryInt64(q, 'timeoutSeconds');
  const limit = queryInt64(q, 'limit');
  const resourceVersion = q.get('resourceVersion');
  parseResourceVersion(resourceVersion);
  const match = q.get('resourceVersionMatch') ?? '';
  const cont = q.get('continue') ?? '';
  const sendInitialEvents = q.has('sendInitialEvents');
  const errs: FieldError[] = [];
  if (watch) {
    if (sendInitialEvents) {
      if (match !== 'NotOlderThan')
        errs.push(
          forbidden(
            'resourceVersionMatch',
            'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
          ),
        );
      errs.push(
        forbidden(
          'sendInitialEvents',
          'sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled',
        ),
      );
    }
    if (match) {
      if (!sendInitialEvents)
        errs.push(
          forbidden(
            'resourceVersionMatch',
            'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
          ),
        );
      if (match !== 'NotOlderThan') errs.push(notSupported('resourceVersionMatch', match, ['NotOlderThan']));
      if (cont)
        errs.push(
          forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'),
        );
    }
  } else {
    if (match) {
      if (!resourceVersion)
        errs.push(
          forbidden(
            'resourceVersionMatch',
            'resourceVersionMatch is forbidden unless resourceVersion is provided',
          ),
        );
      if (cont)
        errs.push(
          forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'),
        );
      if (match !== 'Exact' && match !== 'NotOlderThan')
        errs.push(notSupported('resourceVersionMatch', match, ['Exact', 'NotOlderThan', '']));
      if (match === 'Exact' && resourceVersion === '0')
        errs.push(
          forbidden(
            'resourceVersionMatch',
            'resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
          ),
        );
    }
    if (sendInitialEvents)
      errs.push(forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  }
  if (errs.length) throw invalid('meta.k8s.io', 'ListOptions', '', errs);
  const labelSelector = q.get('labelSelector') || undefined;
  const fieldSelector = q.get('fieldSelector') || undefined;
  return {
    watch,
    allowWatchBookmarks: queryBool(q, 'allowWatchBookmarks'),
    ...(labelSelector ? { labelSelector } : {}),
    ...(fieldSelector ? { fieldSelector } : {}),
    resourceVersion,
    ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
    ...(limit !== undefined ? { limit } : {}),
  };
}
