/**
 * Every message schema the decoder knows, merged from the per-package generated tables. Special messages
 * whose JSON form is not an object (meta/v1 Time, intstr.IntOrString, resource.Quantity, ...) are not here:
 * ../special-types.ts owns them.
 */
import { APPS_V1_MESSAGES } from './apps-v1.generated.js';
import { AUTHENTICATION_V1_MESSAGES } from './authentication-v1.generated.js';
import { AUTHORIZATION_V1_MESSAGES } from './authorization-v1.generated.js';
import { AUTOSCALING_V1_MESSAGES } from './autoscaling-v1.generated.js';
import { BATCH_V1_MESSAGES } from './batch-v1.generated.js';
import { COORDINATION_V1_MESSAGES } from './coordination-v1.generated.js';
import { CORE_V1_MESSAGES } from './core-v1.generated.js';
import { DISCOVERY_V1_MESSAGES } from './discovery-v1.generated.js';
import { META_V1_MESSAGES } from './meta-v1.generated.js';
import { NETWORKING_V1_MESSAGES } from './networking-v1.generated.js';
import { RBAC_V1_MESSAGES } from './rbac-v1.generated.js';
import type { MessageTable } from './types.js';

export type { FieldSchema, MessageSchema, MessageTable, ScalarType } from './types.js';

export const MESSAGES: MessageTable = {
  ...CORE_V1_MESSAGES,
  ...APPS_V1_MESSAGES,
  ...AUTOSCALING_V1_MESSAGES,
  ...AUTHENTICATION_V1_MESSAGES,
  ...AUTHORIZATION_V1_MESSAGES,
  ...BATCH_V1_MESSAGES,
  ...DISCOVERY_V1_MESSAGES,
  ...COORDINATION_V1_MESSAGES,
  ...RBAC_V1_MESSAGES,
  ...NETWORKING_V1_MESSAGES,
  ...META_V1_MESSAGES,
};
