/**
 * `kubectl get nodes` columns (printers.go printNode):
 *   Name, Status, Roles, Age, Version | Internal-IP, External-IP, OS-Image, Kernel-Version,
 *   Container-Runtime.
 */
import type { Node, NodeAddress } from 'kubernetes-types/core/v1';
import { compareGoStrings, NONE, UNKNOWN } from '../printers/cells.js';
import { AGE_COLUMN, column, NAME_COLUMN, wideColumn } from '../printers/columns.js';
import { ageOf } from '../printers/timestamps.js';
import type { TableConvertor } from '../table.js';

// apiv1.NodeSystemInfo / NodeStatus SwaggerDoc() strings, v0.32.
const KUBELET_VERSION_DOC = 'Kubelet Version reported by the node.';
const ADDRESSES_DOC =
  "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API (status.hostIP).";
const OS_IMAGE_DOC = 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).';
const KERNEL_VERSION_DOC = "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).";
const CONTAINER_RUNTIME_VERSION_DOC =
  'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).';

/** Label prefix whose suffix names a role: node-role.kubernetes.io/control-plane="". */
const NODE_ROLE_LABEL_PREFIX = 'node-role.kubernetes.io/';
/** Older role label whose value names the role: kubernetes.io/role=node. */
const NODE_ROLE_LABEL = 'kubernetes.io/role';

export const nodeTable: TableConvertor<Node> = {
  columns: [
    NAME_COLUMN,
    column('Status', 'string', 'The status of the node'),
    column('Roles', 'string', 'The roles of the node'),
    AGE_COLUMN,
    column('Version', 'string', KUBELET_VERSION_DOC),
    wideColumn('Internal-IP', 'string', ADDRESSES_DOC),
    wideColumn('External-IP', 'string', ADDRESSES_DOC),
    wideColumn('OS-Image', 'string', OS_IMAGE_DOC),
    wideColumn('Kernel-Version', 'string', KERNEL_VERSION_DOC),
    wideColumn('Container-Runtime', 'string', CONTAINER_RUNTIME_VERSION_DOC),
  ],
  row(node, now) {
    const info = node.status?.nodeInfo;
    const addresses = node.status?.addresses ?? [];
    return [
      node.metadata?.name ?? '',
      nodeStatus(node),
      findNodeRoles(node.metadata?.labels).join(',') || NONE,
      ageOf(node.metadata, now),
      info?.kubeletVersion ?? '',
      firstAddress(addresses, 'InternalIP'),
      firstAddress(addresses, 'ExternalIP'),
      info?.osImage || UNKNOWN,
      info?.kernelVersion || UNKNOWN,
      info?.containerRuntimeVersion || UNKNOWN,
    ];
  },
};

/**
 * "Ready" / "NotReady" from the Ready condition (the last one wins if repeated), "Unknown"
 * without one, then ",SchedulingDisabled" for a cordoned node.
 */
function nodeStatus(node: Node): string {
  const ready = (node.status?.conditions ?? []).findLast((c) => c.type === 'Ready');
  const status = [ready === undefined ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady'];
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

/** Roles from node-role.kubernetes.io/<role> keys and kubernetes.io/role values, sorted, unique. */
function findNodeRoles(labels: Readonly<Record<string, string>> | undefined): string[] {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (key.startsWith(NODE_ROLE_LABEL_PREFIX)) {
      const role = key.slice(NODE_ROLE_LABEL_PREFIX.length);
      if (role) roles.add(role);
    } else if (key === NODE_ROLE_LABEL && value !== '') {
      roles.add(value);
    }
  }
  return [...roles].sort(compareGoStrings);
}

/** The first address of that type, or "<none>". */
function firstAddress(addresses: readonly NodeAddress[], type: string): string {
  return addresses.find((a) => a.type === type)?.address ?? NONE;
}
