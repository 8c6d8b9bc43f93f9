/**
 * LimitRanges (core/v1 `limitranges`, short name `limits`): per-namespace defaults and bounds for
 * container and pod resources, enforced on pod create by the LimitRanger admission plugin
 * (../../admission/limitranger.ts). Upstream's strategy has no status and no update-only rules.
 */
import type { LimitRange } from 'kubernetes-types/core/v1';
import { defineStrategy, resourceInfo } from '../define.js';
import { defaultLimitRange } from './defaults.js';
import { limitRangeTable } from './table.js';
import { validateLimitRange } from './validation.js';

export const limitRangeStrategy = defineStrategy<LimitRange>({
  info: resourceInfo({
    resource: 'limitranges',
    kind: 'LimitRange',
    namespaced: true,
    shortNames: ['limits'],
  }),
  table: limitRangeTable,
  defaults: (lr) => defaultLimitRange(lr),
  validate: (lr) => validateLimitRange(lr),
});
