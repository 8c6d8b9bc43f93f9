import type { HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2';
import { defineStrategy, resourceInfo } from '../define.js';
import { hpaV1View } from './conversion.js';
import { defaultHorizontalPodAutoscaler } from './defaults.js';
import { horizontalPodAutoscalerTable } from './table.js';
import {
  validateHorizontalPodAutoscaler,
  validateHorizontalPodAutoscalerStatus,
  validateHorizontalPodAutoscalerUpdate,
} from './validation.js';

const facts = {
  group: 'autoscaling',
  resource: 'horizontalpodautoscalers',
  kind: 'HorizontalPodAutoscaler',
  namespaced: true,
  shortNames: ['hpa'],
  categories: ['all'],
};

/**
 * autoscaling/v2 HorizontalPodAutoscaler (pkg/registry/autoscaling/horizontalpodautoscaler), the
 * storage version, with a status subresource; autoscaling/v1 serves the same objects converted.
 */
export const horizontalPodAutoscalerStrategy = defineStrategy<HorizontalPodAutoscaler>({
  info: resourceInfo({ ...facts, version: 'v2' }),
  hasStatus: true,
  // PrepareForCreate resets status to its zero value, which Go writes as these two fields.
  prepareForCreate: (h) => {
    h.status = { desiredReplicas: 0, currentMetrics: null as unknown as undefined };
  },
  table: horizontalPodAutoscalerTable,
  defaults: (h) => defaultHorizontalPodAutoscaler(h),
  validate: (h) => validateHorizontalPodAutoscaler(h),
  validateUpdate: (h, old) => [
    ...validateHorizontalPodAutoscalerUpdate(h, old),
    ...validateHorizontalPodAutoscalerStatus(h),
  ],
  versions: [{ info: resourceInfo({ ...facts, version: 'v1' }), ...hpaV1View }],
});
