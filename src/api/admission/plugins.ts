/**
 * The admission plugins the engine runs, in kube-apiserver's order (its recommended plugin order
 * puts LimitRanger before ResourceQuota, so quota charges the resources LimitRanger defaulted, and
 * DefaultIngressClass between them).
 */
import { defaultIngressClassPlugin } from './defaultingressclass.js';
import { limitRanger } from './limitranger.js';
import { resourceQuota } from './resourcequota.js';
import type { AdmissionPlugin } from './types.js';

export const admissionPlugins = (): readonly AdmissionPlugin[] => [
  limitRanger,
  defaultIngressClassPlugin,
  resourceQuota,
];
