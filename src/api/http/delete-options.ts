/**
 * DeleteOptions of a DELETE (one object or a collection): from the JSON body and from the query
 * (a query parameter wins over the body's field), then validated as upstream's
 * ValidateDeleteOptions: 422 Invalid on DeleteOptions.meta.k8s.io for an unknown propagation
 * policy, orphanDependents together with propagationPolicy, or a dryRun other than "All".
 * A body field of the wrong JSON type is a 400 naming it, as Go's decoder would; query integers
 * and booleans are read as upstream's parameter conversion reads them (list-options.ts).
 */
import type { DeleteOptions, PropagationPolicy } from '../../controllers/client.js';
import { badRequest } from '../errors.js';
import { type FieldError, invalid, invalidValue, notSupported } from '../validation/field.js';
import { parseJSON } from './body.js';
import { jsonTypeOf } from './field-types.js';
import { queryBool, queryInt64 } from './list-options.js';

const POLICIES: readonly string[] = ['Foreground', 'Background', 'Orphan'];

/** Go's type for each DeleteOptions field we read, and a check of the JSON value against it. */
const BODY_FIELDS: Record<string, [goType: string, ok: (v: unknown) => boolean]> = {
  gracePeriodSeconds: [
    'int64',
    (v) => typeof v === 'number' && Number.isInteger(v) && v >= -(2 ** 63) && v < 2 ** 63,
  ],
  propagationPolicy: ['DeletionPropagation', (v) => typeof v === 'string'],
  orphanDependents: ['bool', (v) => typeof v === 'boolean'],
  dryRun: ['[]string', (v) => Array.isArray(v) && v.every((x) => typeof x === 'string' || x === null)],
  preconditions: ['Preconditions', (v) => typeof v === 'object' && !Array.isArray(v)],
};
const PRECONDITION_FIELDS = ['uid', 'resourceVersion'];

const typeError = (v: unknown, field: string, goType: string) =>
  badRequest(
    `couldn't decode DeleteOptions: json: cannot unmarshal ${jsonTypeOf(v)} into Go struct field DeleteOptions.${field} of type ${goType}`,
  );

export function parseDeleteOptions(body: Buffer, q: URLSearchParams): DeleteOptions & { dryRun?: boolean } {
  let fromBody: Record<string, unknown> = {};
  if (body.length) {
    const parsed = parseJSON(body, 'DeleteOptions');
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw badRequest('DeleteOptions must be an object');
    fromBody = parsed as Record<string, unknown>;
    for (const [field, [goType, ok]] of Object.entries(BODY_FIELDS)) {
      const v = fromBody[field];
      if (v !== undefined && v !== null && !ok(v)) throw typeError(v, field, goType);
    }
    const pre = fromBody.preconditions as Record<string, unknown> | null | undefined;
    for (const f of PRECONDITION_FIELDS) {
      const v = pre?.[f];
      if (v !== undefined && v !== null && typeof v !== 'string')
        throw typeError(v, `preconditions.${f}`, 'string');
    }
  }

  const policy =
    q.get('propagationPolicy') ?? (fromBody.propagationPolicy as string | null | undefined) ?? undefined;
  const orphan = q.has('orphanDependents')
    ? queryBool(q, 'orphanDependents')
    : ((fromBody.orphanDependents as boolean | null | undefined) ?? undefined);
  const grace = q.has('gracePeriodSeconds')
    ? queryInt64(q, 'gracePeriodSeconds')
    : ((fromBody.gracePeriodSeconds as number | null | undefined) ?? undefined);
  const dryRun = q.has('dryRun')
    ? q.getAll('dryRun')
    : ((fromBody.dryRun as (string | null)[] | null | undefined) ?? []).map((d) => d ?? '');

  const errs: FieldError[] = [];
  if (orphan !== undefined && policy !== undefined)
    errs.push(
      invalidValue(
        'propagationPolicy',
        policy,
        'orphanDependents and deletionPropagation cannot be both set',
      ),
    );
  if (policy !== undefined && !POLICIES.includes(policy))
    errs.push(notSupported('propagationPolicy', policy, [...POLICIES, 'nil']));
  if (dryRun.some((d) => d !== 'All')) errs.push(notSupported('dryRun', dryRun, ['All']));
  if (errs.length) throw invalid('meta.k8s.io', 'DeleteOptions', '', errs);

  const opts: DeleteOptions & { dryRun?: boolean } = {};
  if (policy !== undefined) opts.propagationPolicy = policy as PropagationPolicy;
  else if (orphan !== undefined) opts.propagationPolicy = orphan ? 'Orphan' : 'Background';
  if (grace !== undefined) opts.gracePeriodSeconds = grace;
  const pre = fromBody.preconditions as
    | { uid?: string | null; resourceVersion?: string | null }
    | null
    | undefined;
  if (pre) {
    opts.preconditions = {
      ...(pre.uid ? { uid: pre.uid } : {}),
      ...(pre.resourceVersion ? { resourceVersion: pre.resourceVersion } : {}),
    };
  }
  if (dryRun.length) opts.dryRun = true;
  return opts;
}
