/** Every message's documentation, merged from the per-package generated tables. */
import type { DocTable } from '../types.js';
import { APPS_V1_DOCS } from './apps-v1.generated.js';
import { AUTHENTICATION_V1_DOCS } from './authentication-v1.generated.js';
import { AUTHORIZATION_V1_DOCS } from './authorization-v1.generated.js';
import { AUTOSCALING_V1_DOCS } from './autoscaling-v1.generated.js';
import { BATCH_V1_DOCS } from './batch-v1.generated.js';
import { COORDINATION_V1_DOCS } from './coordination-v1.generated.js';
import { CORE_V1_DOCS } from './core-v1.generated.js';
import { DISCOVERY_V1_DOCS } from './discovery-v1.generated.js';
import { META_V1_DOCS } from './meta-v1.generated.js';
import { NETWORKING_V1_DOCS } from './networking-v1.generated.js';
import { RBAC_V1_DOCS } from './rbac-v1.generated.js';

export const DOCS: DocTable = {
  ...CORE_V1_DOCS,
  ...APPS_V1_DOCS,
  ...AUTOSCALING_V1_DOCS,
  ...AUTHENTICATION_V1_DOCS,
  ...AUTHORIZATION_V1_DOCS,
  ...BATCH_V1_DOCS,
  ...DISCOVERY_V1_DOCS,
  ...COORDINATION_V1_DOCS,
  ...RBAC_V1_DOCS,
  ...NETWORKING_V1_DOCS,
  ...META_V1_DOCS,
};
