/**
 * PodSpec and PodTemplateSpec, as upstream's ValidatePodSpec / ValidatePodTemplateSpec. The
 * spec is expected to be defaulted first (restartPolicy, dnsPolicy, terminationGracePeriodSeconds,
 * imagePullPolicy, ... are required here because defaulting always sets them).
 */
import type { PodSpec, PodTemplateSpec, Toleration } from 'kubernetes-types/core/v1';
import { validateAffinity } from './affinity.js';
import { validateDNS1123Label } from './container.js';
import { validateContainers, validateInitContainers } from './containers.js';
import { type FieldError, forbidden, invalidValue, notSupported, required } from './field-extra.js';
import { validateIP } from './ip.js';
import { validateAnnotations, validateLabelName, validateLabels } from './labels.js';
import { nameIsDNSSubdomain } from './names.js';
import { child, index } from './path.js';
import { validatePodSecurityContext } from './security-context.js';
import { inclusiveRangeError, isDNS1123Subdomain, isValidLabelValue } from './strings.js';
import { validateVolumes } from './volumes.js';

const MAX_INT32 = 2_147_483_647;
const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

function validateEnum(value: string | undefined, allowed: readonly string[], path: string): FieldError[] {
  if (!value) return [required(path, '')];
  return allowed.includes(value) ? [] : [notSupported(path, value, allowed)];
}

export function validateTolerations(tolerations: Toleration[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (tolerations ?? []).forEach((t, i) => {
    const p = index(path, i);
    if (t.key) errs.push(...validateLabelName(t.key, child(p, 'key')));
    if (!t.key && t.operator !== 'Exists') {
      errs.push(
        invalidValue(
          child(p, 'operator'),
          t.operator ?? '',
          'operator must be Exists when `key` is empty, which means "match all values and all keys"',
        ),
      );
    }
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      errs.push(
        invalidValue(
          child(p, 'effect'),
          t.effect ?? '',
          "effect must be 'NoExecute' when `tolerationSeconds` is set",
        ),
      );
    }
    switch (t.operator ?? '') {
      case '':
      case 'Equal': {
        const msgs = isValidLabelValue(t.value ?? '');
        if (msgs.length > 0) errs.push(invalidValue(child(p, 'operator'), t.value ?? '', msgs.join(';')));
        break;
      }
      case 'Exists':
        if (t.value)
          errs.push(
            invalidValue(child(p, 'operator'), t.value, "value must be empty when `operator` is 'Exists'"),
          );
        break;
      default:
        errs.push(notSupported(child(p, 'operator'), t.operator, ['Equal', 'Exists']));
    }
    if (t.effect && !TAINT_EFFECTS.includes(t.effect))
      errs.push(notSupported(child(p, 'effect'), t.effect, TAINT_EFFECTS));
  });
  return errs;
}

const MAX_DNS_NAMESERVERS = 3;
const MAX_DNS_SEARCH_PATHS = 32;
const MAX_DNS_SEARCH_CHARS = 2048;

/** validatePodDNSConfig: `dnsPolicy: None` needs nameservers; libc's limits on the rest. */
function validateDNSConfig(spec: PodSpec, path: string): FieldError[] {
  const cfg = spec.dnsConfig;
  if (spec.dnsPolicy === 'None') {
    if (!cfg) return [required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (!cfg.nameservers?.length) {
      return [
        required(
          child(path, 'nameservers'),
          'must provide at least one DNS nameserver when `dnsPolicy` is None',
        ),
      ];
    }
  }
  if (!cfg) return [];
  const errs: FieldError[] = [];
  const nameservers = cfg.nameservers ?? [];
  if (nameservers.length > MAX_DNS_NAMESERVERS) {
    errs.push(
      invalidValue(
        child(path, 'nameservers'),
        nameservers,
        `must not have more than ${MAX_DNS_NAMESERVERS} nameservers`,
      ),
    );
  }
  nameservers.forEach((ns, i) => {
    errs.push(...validateIP(ns, index(child(path, 'nameservers'), i)));
  });
  const searches = cfg.searches ?? [];
  if (searches.length > MAX_DNS_SEARCH_PATHS) {
    errs.push(
      invalidValue(
        child(path, 'searches'),
        searches,
        `must not have more than ${MAX_DNS_SEARCH_PATHS} search paths`,
      ),
    );
  }
  if (searches.join(' ').length > MAX_DNS_SEARCH_CHARS) {
    errs.push(
      invalidValue(
        child(path, 'searches'),
        searches,
        `must not have more than ${MAX_DNS_SEARCH_CHARS} characters (including spaces) in the search list`,
      ),
    );
  }
  searches.forEach((search, i) => {
    // RelaxedDNSSearchValidation is alpha (off) in 1.32: searches are plain DNS subdomains.
    const name = search.replace(/\.$/, '');
    for (const msg of isDNS1123Subdomain(name))
      errs.push(invalidValue(index(child(path, 'searches'), i), name, msg));
  });
  (cfg.options ?? []).forEach((o, i) => {
    if (!o.name) errs.push(required(index(child(path, 'options'), i), 'must not be empty'));
  });
  return errs;
}

function validateSubdomainName(value: string | undefined, path: string): FieldError[] {
  if (!value) return [];
  return nameIsDNSSubdomain(value, false).map((msg) => invalidValue(path, value, msg));
}

/** `forPod` adds the checks upstream applies only to real pods (hostNetwork port matching). */
export function validatePodSpec(spec: PodSpec | undefined, path: string, forPod: boolean): FieldError[] {
  const s: PodSpec = spec ?? { containers: [] };
  const errs: FieldError[] = [];
  if (s.terminationGracePeriodSeconds === undefined || s.terminationGracePeriodSeconds === null) {
    errs.push(required(child(path, 'terminationGracePeriodSeconds'), ''));
  }
  const grace = s.terminationGracePeriodSeconds;
  const vols = validateVolumes(s.volumes, child(path, 'volumes'));
  errs.push(...vols.errs);
  errs.push(...validateContainers(s.containers, vols.names, grace, child(path, 'containers')));
  errs.push(
    ...validateInitContainers(
      s.initContainers,
      s.containers,
      vols.names,
      grace,
      child(path, 'initContainers'),
    ),
  );
  if (s.hostNetwork) {
    (s.containers ?? []).forEach((c, ci) => {
      (c.ports ?? []).forEach((port, pi) => {
        const hp = port.hostPort ?? 0;
        if ((forPod || hp !== 0) && hp !== port.containerPort) {
          const p = child(index(child(index(child(path, 'containers'), ci), 'ports'), pi), 'hostPort');
          errs.push(invalidValue(p, hp, 'must match `containerPort` when `hostNetwork` is true'));
        }
      });
    });
  }
  errs.push(...validateEnum(s.restartPolicy, RESTART_POLICIES, child(path, 'restartPolicy')));
  errs.push(...validateEnum(s.dnsPolicy, DNS_POLICIES, child(path, 'dnsPolicy')));
  errs.push(...validateLabels(s.nodeSelector, child(path, 'nodeSelector')));
  errs.push(...validatePodSecurityContext(s.securityContext, child(path, 'securityContext')));
  errs.push(...validateAffinity(s.affinity, child(path, 'affinity')));
  errs.push(...validateDNSConfig(s, child(path, 'dnsConfig')));
  errs.push(...validateSubdomainName(s.serviceAccountName, child(path, 'serviceAccountName')));
  errs.push(...validateSubdomainName(s.nodeName, child(path, 'nodeName')));
  if (
    s.activeDeadlineSeconds !== undefined &&
    (s.activeDeadlineSeconds < 1 || s.activeDeadlineSeconds > MAX_INT32)
  ) {
    errs.push(
      invalidValue(
        child(path, 'activeDeadlineSeconds'),
        s.activeDeadlineSeconds,
        inclusiveRangeError(1, MAX_INT32),
      ),
    );
  }
  if (s.hostname) errs.push(...validateDNS1123Label(s.hostname, child(path, 'hostname')));
  if (s.subdomain) errs.push(...validateDNS1123Label(s.subdomain, child(path, 'subdomain')));
  if (s.tolerations?.length) errs.push(...validateTolerations(s.tolerations, child(path, 'tolerations')));
  errs.push(...validateSubdomainName(s.priorityClassName, child(path, 'priorityClassName')));
  if (s.preemptionPolicy !== undefined) {
    errs.push(
      ...validateEnum(s.preemptionPolicy, ['PreemptLowerPriority', 'Never'], child(path, 'preemptionPolicy')),
    );
  }
  return errs;
}

/** Pod-only container checks (validateContainersOnlyForPod): images without stray whitespace. */
export function validateContainersOnlyForPod(spec: PodSpec | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const list of ['containers', 'initContainers'] as const) {
    (spec?.[list] ?? []).forEach((c, i) => {
      if (c.image && c.image.trim() !== c.image) {
        errs.push(
          invalidValue(
            child(index(child(path, list), i), 'image'),
            c.image,
            'must not have leading or trailing whitespace',
          ),
        );
      }
    });
  }
  return errs;
}

/** A pod template inside a workload; upstream reports template labels at `<path>.labels`. */
export function validatePodTemplateSpec(template: PodTemplateSpec | undefined, path: string): FieldError[] {
  if (!template) return [required(path, '')];
  const errs: FieldError[] = [];
  errs.push(...validateLabels(template.metadata?.labels, child(path, 'labels')));
  errs.push(...validateAnnotations(template.metadata?.annotations, child(path, 'annotations')));
  errs.push(...validatePodSpec(template.spec, child(path, 'spec'), false));
  const ephemeral = (template.spec as { ephemeralContainers?: unknown[] } | undefined)?.ephemeralContainers;
  if (ephemeral?.length) {
    errs.push(
      forbidden(
        child(path, 'spec', 'ephemeralContainers'),
        'ephemeral containers not allowed in pod template',
      ),
    );
  }
  return errs;
}
