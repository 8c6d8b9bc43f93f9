/**
 * What upstream's naming and establishing controllers write into a CRD's status, computed at
 * once on every write (podbay has no second writer to wait for): acceptedNames, and the
 * NamesAccepted and Established conditions. A name is refused when another CRD of the same group
 * already accepted it as plural, singular, short name or kind (naming_controller.go's messages).
 */
import type {
  CustomResourceDefinition,
  CustomResourceDefinitionCondition,
  CustomResourceDefinitionNames,
} from 'kubernetes-types/apiextensions/v1';

function conflict(
  crd: CustomResourceDefinition,
  others: readonly CustomResourceDefinition[],
): string | undefined {
  const names = crd.spec.names;
  const group = crd.spec.group;
  for (const o of others) {
    if (o.metadata?.name === crd.metadata?.name || o.spec?.group !== group) continue;
    const a = o.status?.acceptedNames;
    if (!a) continue;
    const taken = new Set([a.plural, a.singular ?? '', ...(a.shortNames ?? [])]);
    if (taken.has(names.plural)) return `"${names.plural}" is already in use`;
    if (names.singular && taken.has(names.singular)) return `"${names.singular}" is already in use`;
    for (const s of names.shortNames ?? []) if (taken.has(s)) return `"${s}" is already in use`;
    if (a.kind === names.kind) return `"${names.kind}" is already in use`;
    if (a.listKind && a.listKind === names.listKind) return `"${names.listKind}" is already in use`;
  }
  return undefined;
}

function setCondition(
  conds: CustomResourceDefinitionCondition[],
  c: Omit<CustomResourceDefinitionCondition, 'lastTransitionTime'>,
  now: string,
): void {
  const i = conds.findIndex((x) => x.type === c.type);
  const old = conds[i];
  const next = { ...c, lastTransitionTime: old && old.status === c.status ? old.lastTransitionTime : now };
  if (i >= 0) conds[i] = next;
  else conds.push(next);
}

/** Sets status.acceptedNames, the naming conditions and storedVersions on `crd`, in place. */
export function establish(
  crd: CustomResourceDefinition,
  others: readonly CustomResourceDefinition[],
  now: string,
): void {
  type Status = NonNullable<CustomResourceDefinition['status']> & {
    conditions?: CustomResourceDefinitionCondition[];
  };
  const w = crd as { status?: Status };
  w.status ??= { acceptedNames: { plural: '', kind: '' }, storedVersions: [] };
  const status = w.status;
  const conds = [...(status.conditions ?? [])];
  const clash = conflict(crd, others);
  const wasEstablished = conds.some((c) => c.type === 'Established' && c.status === 'True');
  if (clash) {
    setCondition(
      conds,
      { type: 'NamesAccepted', status: 'False', reason: 'NameConflict', message: clash },
      now,
    );
    if (!wasEstablished)
      setCondition(
        conds,
        {
          type: 'Established',
          status: 'False',
          reason: 'NotAccepted',
          message: 'not all names are accepted',
        },
        now,
      );
  } else {
    (status as { acceptedNames: CustomResourceDefinitionNames }).acceptedNames = structuredClone(
      crd.spec.names,
    );
    setCondition(
      conds,
      { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' },
      now,
    );
    if (!wasEstablished)
      setCondition(
        conds,
        {
          type: 'Established',
          status: 'True',
          reason: 'InitialNamesAccepted',
          message: 'the initial names have been accepted',
        },
        now,
      );
  }
  status.conditions = conds;
  const storage = crd.spec.versions.find((v) => v.storage)?.name;
  const stored = [...(status.storedVersions ?? [])];
  if (storage && !stored.includes(storage)) stored.push(storage);
  (status as { storedVersions: string[] }).storedVersions = stored;
}

/** True when the CRD's names are accepted and it serves its kind (the Established condition). */
export const isEstablished = (crd: CustomResourceDefinition): boolean =>
  (crd.status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');
