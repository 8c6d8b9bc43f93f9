/**
 * The DefaultIngressClass admission plugin, as plugin/pkg/admission/network/defaultingressclass
 * (1.32): an Ingress created without spec.ingressClassName and without the deprecated
 * `kubernetes.io/ingress.class` annotation gets the IngressClass annotated
 * `ingressclass.kubernetes.io/is-default-class: "true"`. With several defaults the newest wins
 * (ties: the first name in order), as upstream picks since 1.25 instead of failing;
 * with none the Ingress keeps no class. Only creates, only the main resource.
 */
import type { Ingress, IngressClass } from 'kubernetes-types/networking/v1';
import { INGRESS_CLASS_ANNOTATION } from '../registry/ingresses/validation.js';
import type { AdmissionPlugin } from './types.js';

export const IS_DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

/** The default IngressClass among `classes`, or undefined when none is marked default. */
export function defaultIngressClass(classes: readonly IngressClass[]): IngressClass | undefined {
  const defaults = classes.filter((c) => c.metadata?.annotations?.[IS_DEFAULT_CLASS_ANNOTATION] === 'true');
  const time = (c: IngressClass) => Date.parse(c.metadata?.creationTimestamp ?? '') || 0;
  defaults.sort((a, b) => {
    const dt = time(b) - time(a);
    if (dt !== 0) return dt;
    const an = a.metadata?.name ?? '';
    const bn = b.metadata?.name ?? '';
    return an < bn ? -1 : an > bn ? 1 : 0;
  });
  return defaults[0];
}

export const defaultIngressClassPlugin: AdmissionPlugin = {
  name: 'DefaultIngressClass',
  admit(a) {
    if (a.operation !== 'CREATE' || a.subresource !== '') return;
    if (a.resource.group !== 'networking.k8s.io' || a.resource.resource !== 'ingresses') return;
    const ing = a.object as Ingress & { spec?: { ingressClassName?: string } };
    if (ing.spec?.ingressClassName !== undefined && ing.spec.ingressClassName !== null) return;
    if (ing.metadata?.annotations?.[INGRESS_CLASS_ANNOTATION] !== undefined) return;
    const chosen = defaultIngressClass(a.context.list('ingressclasses', '') as readonly IngressClass[]);
    if (!chosen?.metadata?.name) return;
    ing.spec ??= {};
    ing.spec.ingressClassName = chosen.metadata.name;
  },
};
