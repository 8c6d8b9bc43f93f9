/**
 * Network defaults: the one place the cluster's address plan is written down. kubeadm's
 * defaults, so addresses look as they do on most clusters.
 */
export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';
export const DEFAULT_POD_CIDR = '10.244.0.0/16';
/** The `kubernetes` Service's ClusterIP: the first address of the service range. */
export const KUBERNETES_SERVICE_IP = '10.96.0.1';
/** The cluster DNS Service's ClusterIP (kubeadm's choice), reserved so no Service takes it. */
export const CLUSTER_DNS_IP = '10.96.0.10';
export const CLUSTER_DOMAIN = 'cluster.local';
export const NODE_PORT_RANGE = { min: 30000, max: 32767 } as const;
