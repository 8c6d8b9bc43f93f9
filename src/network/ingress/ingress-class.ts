/**
 * Which Ingresses podbay's ingress controller serves: the class facts, apart from the controller
 * so the bootstrap (which creates the class) does not load the data path.
 */
import type { Ingress, IngressClass } from 'kubernetes-types/networking/v1';
import { IS_DEFAULT_CLASS_ANNOTATION } from '../../api/admission/defaultingressclass.js';
import { INGRESS_CLASS_ANNOTATION } from '../../api/registry/ingresses/validation.js';

/** spec.controller of the classes this controller implements. */
export const INGRESS_CONTROLLER_NAME = 'podbay.io/ingress';
/** Where the controller's listeners are unless `--ingress-http` / `--ingress-https` say otherwise. */
export const DEFAULT_INGRESS_HTTP = { host: '127.0.0.1', port: 8080 };
export const DEFAULT_INGRESS_HTTPS = { host: '127.0.0.1', port: 8443 };
/** The built-in IngressClass (src/server/bootstrap.ts creates it, marked default). */
export const INGRESS_CLASS_NAME = 'podbay';

/**
 * An Ingress is served when its class (spec.ingressClassName, else the deprecated
 * kubernetes.io/ingress.class annotation) names an IngressClass of this controller, or when it
 * names none and one of this controller's classes is the default (as the API documents a classless
 * Ingress: handled by the default class).
 */
export function servedBy(ing: Ingress, classes: readonly IngressClass[]): boolean {
  const ours = classes.filter((c) => c.spec?.controller === INGRESS_CONTROLLER_NAME);
  const name = ing.spec?.ingressClassName ?? ing.metadata?.annotations?.[INGRESS_CLASS_ANNOTATION];
  if (name !== undefined && name !== null) return ours.some((c) => c.metadata?.name === name);
  return ours.some((c) => c.metadata?.annotations?.[IS_DEFAULT_CLASS_ANNOTATION] === 'true');
}
