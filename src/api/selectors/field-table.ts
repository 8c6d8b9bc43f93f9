/**
 * Which fields each resource can be selected on, and how to read them from an object: the
 * union of upstream's field label conversion funcs (which fields a request may name) and its
 * *ToSelectableFields funcs (what value each field has). Resources without a row accept only
 * metadata.name and metadata.namespace, as upstream's DefaultMetaV1FieldSelectorConversion.
 * A field a resource accepts but does not expose (pods' status.podIPs) reads as '', as a
 * missing key in upstream's fields.Set does.
 */
type Obj = Record<string, unknown>;
export type FieldGetter = (o: Obj) => string;

const at = (o: unknown, ...path: string[]): unknown => {
  let cur = o;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Obj)[p];
  }
  return cur;
};
const str =
  (...path: string[]): FieldGetter =>
  (o) => {
    const v = at(o, ...path);
    return v === undefined || v === null ? '' : String(v);
  };
const bool =
  (...path: string[]): FieldGetter =>
  (o) =>
    at(o, ...path) === true ? 'true' : 'false';
const int =
  (...path: string[]): FieldGetter =>
  (o) => {
    const v = at(o, ...path);
    return typeof v === 'number' ? String(v) : '0';
  };

export interface FieldTable {
  /** Field label → getter. */
  readonly fields: Readonly<Record<string, FieldGetter>>;
  /** Legacy labels rewritten before matching (pods: spec.host → spec.nodeName). */
  readonly aliases?: Readonly<Record<string, string>>;
  /** Labels accepted but not exposed: they read as ''. */
  readonly acceptedOnly?: readonly string[];
  /**
   * True when upstream registers a conversion func for the kind: its error is
   * `field label not supported: X`; otherwise the default meta conversion's text applies.
   */
  readonly custom: boolean;
}

const NAME = { 'metadata.name': str('metadata', 'name') };
const META = { ...NAME, 'metadata.namespace': str('metadata', 'namespace') };

export const FIELD_TABLES: Readonly<Record<string, FieldTable>> = {
  pods: {
    custom: true,
    fields: {
      ...META,
      'spec.nodeName': str('spec', 'nodeName'),
      'spec.restartPolicy': str('spec', 'restartPolicy'),
      'spec.schedulerName': str('spec', 'schedulerName'),
      'spec.serviceAccountName': str('spec', 'serviceAccountName'),
      'spec.hostNetwork': bool('spec', 'hostNetwork'),
      'status.phase': str('status', 'phase'),
      // upstream exposes the first of status.podIPs as status.podIP.
      'status.podIP': (o) => {
        const ips = at(o, 'status', 'podIPs');
        if (Array.isArray(ips) && ips.length > 0) return str('ip')(ips[0] as Obj);
        return str('status', 'podIP')(o);
      },
      'status.nominatedNodeName': str('status', 'nominatedNodeName'),
    },
    acceptedOnly: ['status.podIPs'],
    aliases: { 'spec.host': 'spec.nodeName' },
  },
  events: {
    custom: true,
    fields: {
      ...META,
      'involvedObject.kind': str('involvedObject', 'kind'),
      'involvedObject.namespace': str('involvedObject', 'namespace'),
      'involvedObject.name': str('involvedObject', 'name'),
      'involvedObject.uid': str('involvedObject', 'uid'),
      'involvedObject.apiVersion': str('involvedObject', 'apiVersion'),
      'involvedObject.resourceVersion': str('involvedObject', 'resourceVersion'),
      'involvedObject.fieldPath': str('involvedObject', 'fieldPath'),
      reason: str('reason'),
      reportingComponent: str('reportingComponent'),
      source: str('source', 'component'),
      type: str('type'),
    },
  },
  namespaces: { custom: true, fields: { ...NAME, 'status.phase': str('status', 'phase') } },
  nodes: { custom: true, fields: { ...NAME, 'spec.unschedulable': bool('spec', 'unschedulable') } },
  secrets: { custom: true, fields: { ...META, type: str('type') } },
  services: {
    custom: true,
    fields: { ...META, 'spec.clusterIP': str('spec', 'clusterIP'), 'spec.type': str('spec', 'type') },
  },
  replicationcontrollers: { custom: true, fields: { ...META, 'status.replicas': int('status', 'replicas') } },
  replicasets: { custom: true, fields: { ...META, 'status.replicas': int('status', 'replicas') } },
  jobs: { custom: true, fields: { ...META, 'status.successful': int('status', 'successful') } },
  certificatesigningrequests: {
    custom: true,
    fields: { ...NAME, 'spec.signerName': str('spec', 'signerName') },
  },
};

export const DEFAULT_FIELD_TABLE: FieldTable = { custom: false, fields: META };

export const fieldTableFor = (resource: string): FieldTable => FIELD_TABLES[resource] ?? DEFAULT_FIELD_TABLE;
