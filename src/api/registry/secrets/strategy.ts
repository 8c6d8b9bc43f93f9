import type { Secret } from 'kubernetes-types/core/v1';
import { defineStrategy, resourceInfo } from '../define.js';
import { defaultSecret } from './defaults.js';
import { secretTable } from './table.js';
import { validateSecret, validateSecretUpdate } from './validation.js';

export const secretStrategy = defineStrategy<Secret>({
  info: resourceInfo({ resource: 'secrets', kind: 'Secret', namespaced: true }),
  table: secretTable,
  defaults: (s) => defaultSecret(s),
  validate: (s) => validateSecret(s),
  validateUpdate: (s, old) => validateSecretUpdate(s, old),
});
