/** `kubectl get serviceaccounts` columns (printers.go printServiceAccount): Name, Secrets, Age. */
import type { ServiceAccount } from 'kubernetes-types/core/v1';
import { AGE_COLUMN, column, NAME_COLUMN } from '../printers/columns.js';
import { ageOf } from '../printers/timestamps.js';
import type { TableConvertor } from '../table.js';

// apiv1.ServiceAccount{}.SwaggerDoc()["secrets"], v0.32.
const SECRETS_DOC =
  'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use. Pods are only limited to this list if this service account has a "kubernetes.io/enforce-mountable-secrets" annotation set to "true". The "kubernetes.io/enforce-mountable-secrets" annotation is deprecated since v1.32. Prefer separate namespaces to isolate access to mounted secrets. This field should not be used to find auto-generated service account token secrets for use outside of pods. Instead, tokens can be requested directly using the TokenRequest API, or service account token secrets can be manually created. More info: https://kubernetes.io/docs/concepts/configuration/secret';

export const serviceAccountTable: TableConvertor<ServiceAccount> = {
  columns: [NAME_COLUMN, column('Secrets', 'string', SECRETS_DOC), AGE_COLUMN],
  row: (sa, now) => [sa.metadata?.name ?? '', (sa.secrets ?? []).length, ageOf(sa.metadata, now)],
};
