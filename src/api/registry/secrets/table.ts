/** `kubectl get secrets` columns (printers.go printSecret): Name, Type, Data, Age. */
import type { Secret } from 'kubernetes-types/core/v1';
import { AGE_COLUMN, column, NAME_COLUMN } from '../printers/columns.js';
import { ageOf } from '../printers/timestamps.js';
import type { TableConvertor } from '../table.js';

// apiv1.Secret{}.SwaggerDoc() strings, v0.32.
const TYPE_DOC =
  'Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types';
const DATA_DOC =
  "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4";

export const secretTable: TableConvertor<Secret> = {
  columns: [NAME_COLUMN, column('Type', 'string', TYPE_DOC), column('Data', 'string', DATA_DOC), AGE_COLUMN],
  row: (secret, now) => [
    secret.metadata?.name ?? '',
    secret.type ?? '',
    dataKeyCount(secret),
    ageOf(secret.metadata, now),
  ],
};

/**
 * Upstream counts the internal Data map, into which the v1→internal conversion merges
 * stringData; counting the union of keys gives the same number should stringData ever be
 * stored unmerged.
 */
function dataKeyCount(secret: Secret): number {
  return new Set([...Object.keys(secret.data ?? {}), ...Object.keys(secret.stringData ?? {})]).size;
}
