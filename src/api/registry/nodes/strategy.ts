import type { Node } from 'kubernetes-types/core/v1';
import { defineStrategy, resourceInfo } from '../define.js';
import { nodeTable } from './table.js';
import { validateNode, validateNodeUpdate } from './validation.js';

export const nodeStrategy = defineStrategy<Node>({
  info: resourceInfo({ resource: 'nodes', kind: 'Node', namespaced: false, shortNames: ['no'] }),
  hasStatus: true,
  table: nodeTable,
  validate: (n) => validateNode(n),
  validateUpdate: (n, old) => validateNodeUpdate(n, old),
});
