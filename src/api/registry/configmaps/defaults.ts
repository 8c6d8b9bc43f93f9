/**
 * ConfigMap defaulting. Upstream's only default (SetDefaults_ConfigMap: data = {}) is invisible
 * on the wire (omitempty), so nothing is added; this exists so every kind has the same hooks.
 */
import type { ConfigMap } from 'kubernetes-types/core/v1';

export function defaultConfigMap(cm: ConfigMap): void {
  cm.metadata ??= {};
}
