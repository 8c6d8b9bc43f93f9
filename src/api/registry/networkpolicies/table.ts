/**
 * `kubectl get networkpolicies` columns (printers.go printNetworkPolicy): Name, Pod-Selector
 * (metav1.FormatLabelSelector of spec.podSelector: `<none>` when it selects every pod) and Age.
 */
import type { NetworkPolicy } from 'kubernetes-types/networking/v1';
import { AGE_COLUMN, column, NAME_COLUMN } from '../printers/columns.js';
import { formatLabelSelector } from '../printers/label-selector.js';
import { ageOf } from '../printers/timestamps.js';
import type { TableConvertor } from '../table.js';

// networkingv1.NetworkPolicySpec SwaggerDoc() podSelector, v0.32.
const POD_SELECTOR_DOC =
  'podSelector selects the pods to which this NetworkPolicy object applies. The array of ingress rules is applied to any pods selected by this field. Multiple network policies can select the same set of pods. In this case, the ingress rules for each are combined additively. This field is NOT optional and follows standard label selector semantics. An empty podSelector matches all pods in this namespace.';

export const networkPolicyTable: TableConvertor<NetworkPolicy> = {
  columns: [NAME_COLUMN, column('Pod-Selector', 'string', POD_SELECTOR_DOC), AGE_COLUMN],
  row: (np, now) => [
    np.metadata?.name ?? '',
    formatLabelSelector(np.spec?.podSelector ?? {}),
    ageOf(np.metadata, now),
  ],
};
