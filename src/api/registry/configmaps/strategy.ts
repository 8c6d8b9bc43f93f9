import type { ConfigMap } from 'kubernetes-types/core/v1';
import { defineStrategy, resourceInfo } from '../define.js';
import { configMapTable } from './table.js';
import { validateConfigMap, validateConfigMapUpdate } from './validation.js';

export const configMapStrategy = defineStrategy<ConfigMap>({
  info: resourceInfo({ resource: 'configmaps', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'] }),
  table: configMapTable,
  validate: (cm) => validateConfigMap(cm),
  validateUpdate: (cm, old) => validateConfigMapUpdate(cm, old),
});
