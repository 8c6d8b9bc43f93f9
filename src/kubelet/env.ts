/**
 * A container's environment as kubelet builds it (kubelet_pods.go makeEnvironmentVariables) and
 * `$(VAR)` expansion of command and args (ExpandContainerCommandAndArgs).
 *
 * Order of evaluation, as upstream:
 *  1. envFrom sources in order (ConfigMap/Secret data, prefixed; invalid names skipped and
 *     reported once per source with kubelet's InvalidEnvironmentVariableNames event);
 *  2. env entries in order, later ones overriding: `value` is expanded against what is defined so
 *     far and the service variables; valueFrom resolves configMapKeyRef, secretKeyRef, fieldRef,
 *     resourceFieldRef;
 *  3. service link variables not already defined.
 * A missing ConfigMap/Secret or key throws CreateContainerConfigError with upstream's message,
 * unless the reference is optional (then the variable is skipped).
 */
import type { ConfigMap, Container, EnvVar, Pod, Secret, Service } from 'kubernetes-types/core/v1';
import {
  fieldRefValue,
  type NodeAllocatable,
  type PodAddresses,
  resourceFieldRefValue,
} from './env-fields.js';
import { expand, mappingFor } from './expansion.js';
import { serviceEnv } from './service-env.js';

/** Read access to the objects env and volumes refer to (an ObjectClient's `get` fits). */
export interface ObjectLookups {
  configMap(namespace: string, name: string): ConfigMap | undefined;
  secret(namespace: string, name: string): Secret | undefined;
  /** Every Service (all namespaces); only needed for service links. */
  services(): readonly Service[];
}

/** The container cannot be created because its configuration cannot be resolved. */
export class CreateContainerConfigError extends Error {
  override readonly name = 'CreateContainerConfigError';
  /** The waiting reason kubelet shows. */
  readonly reason = 'CreateContainerConfigError';
}

export interface EnvWarning {
  readonly reason: 'InvalidEnvironmentVariableNames';
  readonly message: string;
}

export interface EnvInputs {
  readonly pod: Pod;
  readonly container: Container;
  readonly lookups: ObjectLookups;
  readonly addresses: PodAddresses;
  readonly allocatable: NodeAllocatable;
}

export interface ContainerEnv {
  readonly env: { name: string; value: string }[];
  /** Events to record on the pod (Warning type). */
  readonly warnings: EnvWarning[];
}

/** IsEnvVarName: letters, digits, '_', '-', '.', not starting with a digit. */
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export function makeEnvironment(inputs: EnvInputs): ContainerEnv {
  const { pod, container } = inputs;
  const namespace = pod.metadata?.namespace ?? '';
  const services = serviceEnv(inputs.lookups.services(), namespace, pod.spec?.enableServiceLinks !== false);
  const sources = new SourceCache(inputs.lookups, namespace);
  const env = new Map<string, string>();
  const warnings: EnvWarning[] = [];

  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref) continue;
    const kind = from.configMapRef ? 'configMap' : 'secret';
    const data = sources.data(kind, ref.name ?? '', ref.optional === true);
    if (!data) continue;
    const invalid: string[] = [];
    for (const [key, value] of Object.entries(data)) {
      const name = (from.prefix ?? '') + key;
      if (!ENV_VAR_NAME.test(name)) invalid.push(name);
      else env.set(name, value);
    }
    if (invalid.length > 0) {
      warnings.push({
        reason: 'InvalidEnvironmentVariableNames',
        message: `Keys [${invalid.sort().join(', ')}] from the EnvFrom ${kind} ${namespace}/${ref.name} were skipped since they are considered invalid environment variable names.`,
      });
    }
  }

  const mapping = mappingFor(env, services);
  for (const envVar of container.env ?? []) {
    const value = resolveEnvVar(envVar, inputs, sources, mapping);
    if (value !== undefined) env.set(envVar.name, value);
  }
  const result = [...env].map(([name, value]) => ({ name, value }));
  for (const [name, value] of services) if (!env.has(name)) result.push({ name, value });
  return { env: result, warnings };
}

/** undefined: an optional reference that did not resolve, so the variable is left out. */
function resolveEnvVar(
  envVar: EnvVar,
  inputs: EnvInputs,
  sources: SourceCache,
  mapping: (name: string) => string,
): string | undefined {
  if (envVar.value) return expand(envVar.value, mapping);
  const from = envVar.valueFrom;
  if (!from) return '';
  try {
    if (from.fieldRef) return fieldRefValue(from.fieldRef, inputs.pod, inputs.addresses);
    if (from.resourceFieldRef) {
      return resourceFieldRefValue(from.resourceFieldRef, inputs.container, inputs.allocatable);
    }
  } catch (err) {
    // Any env error keeps the container from being created, with the error as the message.
    if (err instanceof Error) throw new CreateContainerConfigError(err.message);
    throw err;
  }
  const keyRef = from.configMapKeyRef ?? from.secretKeyRef;
  if (!keyRef) return '';
  const kind = from.configMapKeyRef ? 'configMap' : 'secret';
  const optional = keyRef.optional === true;
  const data = sources.data(kind, keyRef.name ?? '', optional);
  if (!data) return undefined;
  const value = data[keyRef.key];
  if (value !== undefined) return value;
  if (optional) return undefined;
  const kindName = kind === 'configMap' ? 'ConfigMap' : 'Secret';
  throw new CreateContainerConfigError(
    `couldn't find key ${keyRef.key} in ${kindName} ${inputs.pod.metadata?.namespace ?? ''}/${keyRef.name}`,
  );
}

/** One fetch per ConfigMap/Secret per container, as kubelet caches them per call. */
class SourceCache {
  readonly #cache = new Map<string, Record<string, string>>();
  constructor(
    readonly lookups: ObjectLookups,
    readonly namespace: string,
  ) {}

  /** The object's data as strings; undefined when missing and optional; throws when required. */
  data(kind: 'configMap' | 'secret', name: string, optional: boolean): Record<string, string> | undefined {
    const key = `${kind}/${name}`;
    const cached = this.#cache.get(key);
    if (cached) return cached;
    let data: Record<string, string> | undefined;
    if (kind === 'configMap') {
      const cm = this.lookups.configMap(this.namespace, name);
      // binaryData is not exposed as env: only `data` (as upstream).
      if (cm) data = { ...(cm.data ?? {}) };
    } else {
      const secret = this.lookups.secret(this.namespace, name);
      if (secret) data = decodeSecretData(secret);
    }
    if (!data) {
      if (optional) return undefined;
      // The watch-based object managers use the singular resource name.
      throw new CreateContainerConfigError(
        `${kind === 'configMap' ? 'configmap' : 'secret'} "${name}" not found`,
      );
    }
    this.#cache.set(key, data);
    return data;
  }
}

/** Secret.data is base64 on the wire; stringData is merged by the API server on write. */
export function decodeSecretData(secret: Secret): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(secret.data ?? {})) out[k] = Buffer.from(v, 'base64').toString('utf8');
  for (const [k, v] of Object.entries(secret.stringData ?? {})) out[k] = v;
  return out;
}

/** Expands `$(VAR)` in command and args against the final environment. */
export function expandCommandAndArgs(
  container: Container,
  env: readonly { name: string; value: string }[],
): { command: string[]; args: string[] } {
  const mapping = mappingFor(new Map(env.map((e) => [e.name, e.value])));
  return {
    command: (container.command ?? []).map((c) => expand(c, mapping)),
    args: (container.args ?? []).map((a) => expand(a, mapping)),
  };
}
