/**
 * The root CA publisher, as upstream's rootcacertpublisher: every active namespace holds a
 * ConfigMap `kube-root-ca.crt` whose `ca.crt` is the API server's CA bundle, so pods can
 * verify the API server. It is re-created if deleted and corrected if edited.
 */
import type { ConfigMap } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../api/types.js';
import type { ControllerDeps } from '../client.js';
import { QueueController, type QueueControllerOptions, type WatchSpec } from '../runtime/queue-controller.js';
import { isActiveNamespace } from './controller.js';

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

export interface RootCAPublisherOptions extends QueueControllerOptions {
  /** The PEM bundle to publish as `ca.crt`. */
  rootCAPem: string;
}

type CM = ConfigMap & KubeObject;

export class RootCACertPublisher extends QueueController {
  readonly name = 'root-ca-cert-publisher';
  readonly #pem: string;

  constructor(deps: ControllerDeps, options: RootCAPublisherOptions) {
    super(deps, options);
    this.#pem = options.rootCAPem;
  }

  protected watches(): readonly WatchSpec[] {
    return [
      { resource: 'namespaces', keysFor: (ev) => (ev.type === 'DELETED' ? [] : [ev.object.metadata.name!]) },
      {
        resource: 'configmaps',
        keysFor: (ev) =>
          ev.object.metadata.name === ROOT_CA_CONFIGMAP ? [ev.object.metadata.namespace!] : [],
      },
    ];
  }

  protected allKeys(): readonly string[] {
    return this.deps.client.list('namespaces').map((n) => n.metadata.name!);
  }

  protected sync(namespace: string): void {
    const { client } = this.deps;
    if (!isActiveNamespace(client.get('namespaces', '', namespace))) return;
    const data = { 'ca.crt': this.#pem };
    const cm = client.get<CM>('configmaps', namespace, ROOT_CA_CONFIGMAP);
    try {
      if (!cm) {
        client.create<CM>('configmaps', {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: {
            name: ROOT_CA_CONFIGMAP,
            namespace,
            annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION },
          },
          data,
        });
        return;
      }
      const sameData =
        Object.keys(cm.data ?? {}).length === 1 && cm.data?.['ca.crt'] === this.#pem && !cm.binaryData;
      if (sameData && cm.metadata.annotations?.[DESCRIPTION_ANNOTATION]) return;
      cm.data = data;
      delete cm.binaryData;
      cm.metadata.annotations = { ...(cm.metadata.annotations ?? {}), [DESCRIPTION_ANNOTATION]: DESCRIPTION };
      client.update('configmaps', cm);
    } catch (e) {
      const code = (e as { code?: number }).code;
      if (code !== 409 && code !== 403 && code !== 404) throw e;
      if (code === 409) this.queue.add(namespace);
    }
  }
}
