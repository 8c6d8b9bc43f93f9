/**
 * DeleteOptions of a DELETE (one object or a collection), read as kube-apiserver's DeleteResource
 * and DeleteCollection read them (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/delete.go):
 * from the body when there is one (delete-options-body.ts: any supported Content-Type, the query
 * then ignored), from the query only when the body is empty; then validated as upstream's
 * ValidateDeleteOptions: 422 Invalid on DeleteOptions.meta.k8s.io for an unknown propagation
 * policy, orphanDependents together with propagationPolicy, or a dryRun other than "All".
 * Query integers and booleans are read as upstream's parameter conversion reads them
 * (list-options.ts).
 */
import type { DeleteOptions, PropagationPolicy } from '../../controllers/client.js';
import { type FieldError, invalid, invalidValue, notSupported } from '../validation/field.js';
import { type DeleteOptionsFields, decodeDeleteOptionsBody } from './delete-options-body.js';
import { queryBool, queryInt64 } from './list-options.js';

const POLICIES: readonly string[] = ['Foreground', 'Background', 'Orphan'];

/** The DeleteOptions fields the query sets (metav1's generated url.Values conversion). */
function fromQuery(q: URLSearchParams): DeleteOptionsFields {
  const fields: Record<string, unknown> = {};
  if (q.has('gracePeriodSeconds')) fields.gracePeriodSeconds = queryInt64(q, 'gracePeriodSeconds');
  if (q.has('orphanDependents')) fields.orphanDependents = queryBool(q, 'orphanDependents');
  if (q.has('propagationPolicy')) fields.propagationPolicy = q.get('propagationPolicy');
  if (q.has('dryRun')) fields.dryRun = q.getAll('dryRun');
  return fields;
}

export function parseDeleteOptions(
  body: Buffer,
  contentType: string | undefined,
  q: URLSearchParams,
): DeleteOptions & { dryRun?: boolean } {
  const fields = body.length ? decodeDeleteOptionsBody(body, contentType) : fromQuery(q);
  const policy = (fields.propagationPolicy as string | null | undefined) ?? undefined;
  const orphan = (fields.orphanDependents as boolean | null | undefined) ?? undefined;
  const grace = (fields.gracePeriodSeconds as number | null | undefined) ?? undefined;
  const dryRun = ((fields.dryRun as (string | null)[] | null | undefined) ?? []).map((d) => d ?? '');

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
  const pre = fields.preconditions as
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
