/**
 * ResourceQuotas (core/v1 `resourcequotas`, short name `quota`, with the status subresource).
 * spec.hard is the user's; status (hard and used) is written by the quota controller
 * (src/controllers/resourcequota) and charged by the ResourceQuota admission plugin
 * (../../admission/resourcequota.ts), both through /status. A new quota starts with empty status,
 * as upstream's PrepareForCreate.
 */
import type { ResourceQuota } from 'kubernetes-types/core/v1';
import { defaultResourceList } from '../../validation/podspec-defaults.js';
import { defineStrategy, resourceInfo } from '../define.js';
import { resourceQuotaTable } from './table.js';
import { validateResourceQuota, validateResourceQuotaUpdate } from './validation.js';

export const resourceQuotaStrategy = defineStrategy<ResourceQuota>({
  info: resourceInfo({
    resource: 'resourcequotas',
    kind: 'ResourceQuota',
    namespaced: true,
    shortNames: ['quota'],
  }),
  hasStatus: true,
  table: resourceQuotaTable,
  prepareForCreate: (rq) => {
    rq.status = {};
  },
  defaults: (rq) => {
    defaultResourceList(rq.spec?.hard as Record<string, unknown> | undefined);
    defaultResourceList(rq.status?.hard as Record<string, unknown> | undefined);
    defaultResourceList(rq.status?.used as Record<string, unknown> | undefined);
  },
  validate: (rq) => validateResourceQuota(rq),
  validateUpdate: (rq, old) => validateResourceQuotaUpdate(rq, old),
});
