/**
 * Per-container rules shared by regular, init and ephemeral containers, as upstream's
 * validateContainerCommon: name, image, ports, env, envFrom, volume mounts, pull policy,
 * termination message policy, resources and securityContext. List-level rules (duplicates,
 * where probes are allowed) live in containers.ts.
 */
import type { Container, ContainerPort, EnvFromSource, EnvVar, VolumeMount } from 'kubernetes-types/core/v1';
import { duplicate, type FieldError, invalidValue, notFound, notSupported, required } from './field-extra.js';
import { nameIsDNSSubdomain } from './names.js';
import { child, index } from './path.js';
import { validateResourceRequirements } from './resources.js';
import { validateSecurityContext } from './security-context.js';
import {
  isConfigMapKey,
  isDNS1123Label,
  isQualifiedName,
  isRelaxedEnvVarName,
  isValidPortName,
  isValidPortNum,
} from './strings.js';

export const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;

export function validateDNS1123Label(value: string, path: string): FieldError[] {
  return isDNS1123Label(value).map((msg) => invalidValue(path, value, msg));
}

function validateContainerPorts(ports: ContainerPort[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (ports ?? []).forEach((port, i) => {
    const p = index(path, i);
    if (port.name) {
      const msgs = isValidPortName(port.name);
      if (msgs.length > 0) for (const msg of msgs) errs.push(invalidValue(child(p, 'name'), port.name, msg));
      else if (names.has(port.name)) errs.push(duplicate(child(p, 'name'), port.name));
      else names.add(port.name);
    }
    if (!port.containerPort) errs.push(required(child(p, 'containerPort'), ''));
    else
      for (const msg of isValidPortNum(port.containerPort))
        errs.push(invalidValue(child(p, 'containerPort'), port.containerPort, msg));
    if (port.hostPort)
      for (const msg of isValidPortNum(port.hostPort))
        errs.push(invalidValue(child(p, 'hostPort'), port.hostPort, msg));
    if (!port.protocol) errs.push(required(child(p, 'protocol'), ''));
    else if (!(PORT_PROTOCOLS as readonly string[]).includes(port.protocol)) {
      errs.push(notSupported(child(p, 'protocol'), port.protocol, PORT_PROTOCOLS));
    }
  });
  return errs;
}

/** Field paths the downward API serves to env vars (sorted, as upstream lists them). */
const ENV_FIELD_PATHS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];
const ENV_RESOURCE_FIELDS = [
  'limits.cpu',
  'limits.ephemeral-storage',
  'limits.memory',
  'requests.cpu',
  'requests.ephemeral-storage',
  'requests.memory',
];

function validateFieldRef(ref: { apiVersion?: string; fieldPath?: string }, path: string): FieldError[] {
  if (!ref.apiVersion) return [required(child(path, 'apiVersion'), '')];
  if (!ref.fieldPath) return [required(child(path, 'fieldPath'), '')];
  if (ref.apiVersion !== 'v1') {
    return [
      invalidValue(
        child(path, 'fieldPath'),
        ref.fieldPath,
        `error converting fieldPath: unsupported pod version: ${ref.apiVersion}`,
      ),
    ];
  }
  const sub = /^(.*)\['(.*)'\]$/.exec(ref.fieldPath);
  if (sub) {
    const [, base, subscript] = sub as unknown as [string, string, string];
    if (base === 'metadata.annotations')
      return isQualifiedName(subscript.toLowerCase()).map((m) =>
        invalidValue(path, subscript.toLowerCase(), m),
      );
    if (base === 'metadata.labels')
      return isQualifiedName(subscript).map((m) => invalidValue(path, subscript, m));
    return [invalidValue(path, base, 'does not support subscript')];
  }
  if (!ENV_FIELD_PATHS.includes(ref.fieldPath)) {
    return [notSupported(child(path, 'fieldPath'), ref.fieldPath, ENV_FIELD_PATHS)];
  }
  return [];
}

function validateKeySelector(sel: { name?: string; key?: string }, path: string): FieldError[] {
  const errs = nameIsDNSSubdomain(sel.name ?? '', false).map((m) =>
    invalidValue(child(path, 'name'), sel.name ?? '', m),
  );
  if (!sel.key) errs.push(required(child(path, 'key'), ''));
  else for (const m of isConfigMapKey(sel.key)) errs.push(invalidValue(child(path, 'key'), sel.key, m));
  return errs;
}

function validateEnvValueFrom(ev: EnvVar, path: string): FieldError[] {
  const from = ev.valueFrom;
  if (!from) return [];
  const errs: FieldError[] = [];
  let sources = 0;
  if (from.fieldRef) {
    sources++;
    errs.push(...validateFieldRef(from.fieldRef, child(path, 'fieldRef')));
  }
  if (from.resourceFieldRef) {
    sources++;
    const r = from.resourceFieldRef;
    const p = child(path, 'resourceFieldRef');
    if (!r.resource) errs.push(required(child(p, 'resource'), ''));
    else if (
      !ENV_RESOURCE_FIELDS.includes(r.resource) &&
      !/^(requests|limits)\.hugepages-/.test(r.resource)
    ) {
      errs.push(notSupported(child(p, 'resource'), r.resource, ENV_RESOURCE_FIELDS));
    }
  }
  if (from.configMapKeyRef) {
    sources++;
    errs.push(...validateKeySelector(from.configMapKeyRef, child(path, 'configMapKeyRef')));
  }
  if (from.secretKeyRef) {
    sources++;
    errs.push(...validateKeySelector(from.secretKeyRef, child(path, 'secretKeyRef')));
  }
  if (sources === 0) {
    errs.push(
      invalidValue(
        path,
        '',
        'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
      ),
    );
  } else if (ev.value) {
    errs.push(invalidValue(path, '', 'may not be specified when `value` is not empty'));
  } else if (sources > 1) {
    errs.push(invalidValue(path, '', 'may not have more than one field specified at a time'));
  }
  return errs;
}

export function validateEnv(vars: EnvVar[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (vars ?? []).forEach((ev, i) => {
    const p = index(path, i);
    if (!ev.name) errs.push(required(child(p, 'name'), ''));
    else
      for (const msg of isRelaxedEnvVarName(ev.name)) errs.push(invalidValue(child(p, 'name'), ev.name, msg));
    errs.push(...validateEnvValueFrom(ev, child(p, 'valueFrom')));
  });
  return errs;
}

function validateEnvFrom(sources: EnvFromSource[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (sources ?? []).forEach((src, i) => {
    const p = index(path, i);
    if (src.prefix)
      for (const msg of isRelaxedEnvVarName(src.prefix))
        errs.push(invalidValue(child(p, 'prefix'), src.prefix, msg));
    let count = 0;
    for (const kind of ['configMapRef', 'secretRef'] as const) {
      const ref = src[kind];
      if (!ref) continue;
      count++;
      const np = child(p, kind, 'name');
      if (!ref.name) errs.push(required(np, ''));
      else for (const msg of nameIsDNSSubdomain(ref.name, true)) errs.push(invalidValue(np, ref.name, msg));
    }
    if (count === 0) errs.push(invalidValue(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (count > 1)
      errs.push(invalidValue(path, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

/** A subPath must stay inside the volume: relative, and without `..` elements. */
function validateLocalDescendingPath(target: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (target.startsWith('/')) errs.push(invalidValue(path, target, 'must be a relative path'));
  if (target.split(/[\\/]/).includes('..')) errs.push(invalidValue(path, target, "must not contain '..'"));
  return errs;
}

function validateVolumeMounts(
  mounts: VolumeMount[] | undefined,
  volumes: ReadonlySet<string>,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  (mounts ?? []).forEach((m, i) => {
    const p = index(path, i);
    if (!m.name) errs.push(required(child(p, 'name'), ''));
    if (!volumes.has(m.name ?? '')) errs.push(notFound(child(p, 'name'), m.name ?? ''));
    if (!m.mountPath) errs.push(required(child(p, 'mountPath'), ''));
    if (mountPoints.has(m.mountPath))
      errs.push(invalidValue(child(p, 'mountPath'), m.mountPath, 'must be unique'));
    mountPoints.add(m.mountPath);
    // Upstream reports subPath problems at the list path, not the item's: kept for identical messages.
    if (m.subPath) errs.push(...validateLocalDescendingPath(m.subPath, child(path, 'subPath')));
    if (m.subPathExpr) {
      if (m.subPath)
        errs.push(
          invalidValue(
            child(p, 'subPathExpr'),
            m.subPathExpr,
            'subPathExpr and subPath are mutually exclusive',
          ),
        );
      errs.push(...validateLocalDescendingPath(m.subPathExpr, child(path, 'subPathExpr')));
    }
  });
  return errs;
}

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];

function validateEnum(value: string | undefined, allowed: readonly string[], path: string): FieldError[] {
  if (!value) return [required(path, '')];
  return allowed.includes(value) ? [] : [notSupported(path, value, allowed)];
}

/** Checks every container kind gets; `volumes` holds the names of the pod's valid volumes. */
export function validateContainerCommon(
  c: Container,
  volumes: ReadonlySet<string>,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(required(child(path, 'name'), ''));
  else errs.push(...validateDNS1123Label(c.name, child(path, 'name')));
  if (!c.image) errs.push(required(child(path, 'image'), ''));
  errs.push(
    ...validateEnum(
      c.terminationMessagePolicy,
      TERMINATION_MESSAGE_POLICIES,
      child(path, 'terminationMessagePolicy'),
    ),
  );
  errs.push(...validateContainerPorts(c.ports, child(path, 'ports')));
  errs.push(...validateEnv(c.env, child(path, 'env')));
  errs.push(...validateEnvFrom(c.envFrom, child(path, 'envFrom')));
  errs.push(...validateVolumeMounts(c.volumeMounts, volumes, child(path, 'volumeMounts')));
  errs.push(...validateEnum(c.imagePullPolicy, PULL_POLICIES, child(path, 'imagePullPolicy')));
  errs.push(...validateResourceRequirements(c.resources, child(path, 'resources')));
  errs.push(...validateSecurityContext(c.securityContext, child(path, 'securityContext')));
  return errs;
}
