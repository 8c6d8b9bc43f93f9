/**
 * The service account controller, as upstream's serviceaccounts controller: every active
 * namespace has a ServiceAccount `default`; it is created when the namespace appears and
 * re-created if deleted. Namespaces that are terminating are left alone (creates would fail).
 */
import type { Namespace } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../api/types.js';
import { QueueController, type WatchSpec } from '../runtime/queue-controller.js';

const DEFAULT_SA = 'default';

export const isActiveNamespace = (ns: (Namespace & KubeObject) | undefined): boolean =>
  !!ns && !ns.metadata.deletionTimestamp && (ns.status?.phase ?? 'Active') === 'Active';

export class ServiceAccountsController extends QueueController {
  readonly name = 'serviceaccount';

  protected watches(): readonly WatchSpec[] {
    return [
      { resource: 'namespaces', keysFor: (ev) => (ev.type === 'DELETED' ? [] : [ev.object.metadata.name!]) },
      {
        resource: 'serviceaccounts',
        keysFor: (ev) =>
          ev.type === 'DELETED' && ev.object.metadata.name === DEFAULT_SA
            ? [ev.object.metadata.namespace!]
            : [],
      },
    ];
  }

  protected allKeys(): readonly string[] {
    return this.deps.client.list('namespaces').map((n) => n.metadata.name!);
  }

  protected sync(namespace: string): void {
    const { client } = this.deps;
    if (!isActiveNamespace(client.get('namespaces', '', namespace))) return;
    if (client.get('serviceaccounts', namespace, DEFAULT_SA)) return;
    try {
      client.create('serviceaccounts', {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: DEFAULT_SA, namespace },
      });
    } catch (e) {
      const code = (e as { code?: number }).code;
      // AlreadyExists: someone made it first. Forbidden: the namespace began terminating.
      if (code !== 409 && code !== 403) throw e;
    }
  }
}
