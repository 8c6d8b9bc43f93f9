/** The labels EndpointSlices carry (discovery.k8s.io/v1 well-known labels). */

/** discovery.LabelServiceName: the Service a slice belongs to; `kubectl describe svc` lists by it. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
/** discovery.LabelManagedBy: which controller owns a slice; others are left alone. */
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
/** The EndpointSlice controller's value of MANAGED_BY_LABEL. */
export const MANAGED_BY_VALUE = 'endpointslice-controller.k8s.io';
/** v1.IsHeadlessService: set on the slices of a Service without a cluster IP. */
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
