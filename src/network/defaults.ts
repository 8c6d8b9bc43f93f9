/**
 * Network defaults: the one place the cluster's address plan is written down. kubeadm's
 * defaults, so addresses look as they do on most clusters.
 */
export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';
export const DEFAULT_POD_CIDR = '10.244.0.0/16';
/* The addresses derived from these ranges (gateway, `kubernetes`, cluster DNS) are computed in
   address-plan.ts (DEFAULT_ADDRESS_PLAN for the defaults). */
export const CLUSTER_DOMAIN = 'cluster.local';
export const NODE_PORT_RANGE = { min: 30000, max: 32767 } as const;
