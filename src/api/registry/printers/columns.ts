/**
 * Building blocks for column definitions. Upstream's descriptions are mostly the swagger docs of
 * the field a column shows (`metav1.ObjectMeta{}.SwaggerDoc()["name"]`); the strings here and in
 * each kind's table.ts are those of k8s.io/api and apimachinery v0.32
 * (types_swagger_doc_generated.go), which is what kube-apiserver 1.32 sends.
 */
import type { TableColumnDefinition } from '../table.js';

/** metav1.ObjectMeta{}.SwaggerDoc()["name"]. */
export const OBJECT_META_NAME_DOC =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';

/** metav1.ObjectMeta{}.SwaggerDoc()["creationTimestamp"]. */
export const OBJECT_META_CREATION_TIMESTAMP_DOC =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

/** Written out in printers.go for every workload's wide Containers column. */
export const CONTAINERS_DOC = 'Names of each container in the template.';
/** Written out in printers.go for every workload's wide Images column. */
export const IMAGES_DOC = 'Images referenced by each container in the template.';

type ColumnType = TableColumnDefinition['type'];

/** A column shown by plain `kubectl get` (priority 0). */
export const column = (name: string, type: ColumnType, description: string): TableColumnDefinition => ({
  name,
  type,
  format: '',
  description,
  priority: 0,
});

/** A column shown only with `-o wide` (priority 1). */
export const wideColumn = (name: string, type: ColumnType, description: string): TableColumnDefinition => ({
  ...column(name, type, description),
  priority: 1,
});

/** The Name column: format "name" tells kubectl this cell is the object's name. */
export const NAME_COLUMN: TableColumnDefinition = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: OBJECT_META_NAME_DOC,
  priority: 0,
};

/** The Age column every kind but Event has, from metadata.creationTimestamp. */
export const AGE_COLUMN: TableColumnDefinition = column('Age', 'string', OBJECT_META_CREATION_TIMESTAMP_DOC);

/** The wide Containers and Images columns of the workload kinds. */
export const CONTAINERS_COLUMN: TableColumnDefinition = wideColumn('Containers', 'string', CONTAINERS_DOC);
export const IMAGES_COLUMN: TableColumnDefinition = wideColumn('Images', 'string', IMAGES_DOC);
