/**
 * `kubectl get services` columns (printers.go printService):
 *   Name, Type, Cluster-IP, External-IP, Port(s), Age | Selector.
 */
import type { LoadBalancerStatus, Service, ServiceSpec } from 'kubernetes-types/core/v1';
import { compareGoStrings, NONE, PENDING, UNKNOWN } from '../printers/cells.js';
import { AGE_COLUMN, column, NAME_COLUMN, wideColumn } from '../printers/columns.js';
import { formatLabels } from '../printers/label-selector.js';
import { makePortString } from '../printers/ports.js';
import { ageOf } from '../printers/timestamps.js';
import type { TableConvertor } from '../table.js';

// apiv1.ServiceSpec{}.SwaggerDoc() strings, v0.32.
const TYPE_DOC =
  'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer. "ClusterIP" allocates a cluster-internal IP address for load-balancing to endpoints. Endpoints are determined by the selector or if that is not specified, by manual construction of an Endpoints object or EndpointSlice objects. If clusterIP is "None", no virtual IP is allocated and the endpoints are published as a set of endpoints rather than a virtual IP. "NodePort" builds on ClusterIP and allocates a port on every node which routes to the same endpoints as the clusterIP. "LoadBalancer" builds on NodePort and creates an external load-balancer (if supported in the current cloud) which routes to the same endpoints as the clusterIP. "ExternalName" aliases this service to the specified externalName. Several other fields do not apply to ExternalName services. More info: https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types';
const CLUSTER_IP_DOC =
  'clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail. This field may not be changed through updates unless the type field is also being changed to ExternalName (which requires this field to be blank) or the type field is being changed from ExternalName (in which case this field may optionally be specified, as describe above).  Valid values are "None", empty string (""), or a valid IP address. Setting this to "None" makes a "headless service" (no virtual IP), which is useful when direct endpoint connections are preferred and proxying is not required.  Only applies to types ClusterIP, NodePort, and LoadBalancer. If this field is specified when creating a Service of type ExternalName, creation will fail. This field will be wiped when updating a Service to type ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies';
const EXTERNAL_IPS_DOC =
  'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.  These IPs are not managed by Kubernetes.  The user is responsible for ensuring that traffic arrives at a node with this IP.  A common example is external load-balancers that are not part of the Kubernetes system.';
const PORTS_DOC =
  'The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies';
const SELECTOR_DOC =
  'Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/';

export const serviceTable: TableConvertor<Service> = {
  columns: [
    NAME_COLUMN,
    column('Type', 'string', TYPE_DOC),
    column('Cluster-IP', 'string', CLUSTER_IP_DOC),
    column('External-IP', 'string', EXTERNAL_IPS_DOC),
    column('Port(s)', 'string', PORTS_DOC),
    AGE_COLUMN,
    wideColumn('Selector', 'string', SELECTOR_DOC),
  ],
  row(svc, now) {
    const spec = svc.spec ?? {};
    return [
      svc.metadata?.name ?? '',
      spec.type ?? '',
      // A headless service prints its clusterIP as stored: "None".
      primaryClusterIP(spec) || NONE,
      externalIP(svc),
      makePortString(spec.ports) || NONE,
      ageOf(svc.metadata, now),
      formatLabels(spec.selector),
    ];
  },
};

/**
 * Upstream prints the internal ClusterIPs[0]; the v1→internal conversion makes spec.clusterIP
 * authoritative when set (and fills ClusterIPs from it when ClusterIPs is empty).
 */
function primaryClusterIP(spec: ServiceSpec): string {
  return spec.clusterIP || spec.clusterIPs?.[0] || '';
}

/** printers.go getServiceExternalIP, for the server-side (always wide) table. */
function externalIP(svc: Service): string {
  const spec = svc.spec ?? {};
  const externalIPs = spec.externalIPs ?? [];
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : NONE;
    case 'LoadBalancer': {
      const ingress = loadBalancerAddresses(svc.status?.loadBalancer);
      if (externalIPs.length > 0) return [...ingress, ...externalIPs].join(',');
      return ingress.length > 0 ? ingress.join(',') : PENDING;
    }
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return UNKNOWN;
  }
}

/**
 * loadBalancerStatusStringer: each ingress's IP, else its hostname, de-duplicated and sorted.
 * Upstream clips the result to 16 characters only for non-wide output; kube-apiserver builds
 * tables wide, so the server never clips.
 */
function loadBalancerAddresses(status: LoadBalancerStatus | undefined): string[] {
  const addresses = new Set<string>();
  for (const ingress of status?.ingress ?? []) {
    if (ingress.ip) addresses.add(ingress.ip);
    else if (ingress.hostname) addresses.add(ingress.hostname);
  }
  return [...addresses].sort(compareGoStrings);
}
