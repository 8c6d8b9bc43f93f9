// The upstream packages podbay generates tables from, shared by both dev-time generators:
// generate-schema.mjs (protobuf tables, here) and ../../openapi/generate-docs.mjs (documentation tables).
// pkg: the proto package; short: the tables' key prefix; stem: the scratch files' stem (<stem>.proto,
// <stem>.go, <stem>_doc.go); out: the generated file's stem; from: where upstream keeps the package.
export const PACKAGES = [
  {
    pkg: 'k8s.io.api.core.v1',
    short: 'core.v1',
    stem: 'core_v1',
    out: 'core-v1',
    from: 'k8s.io/api core/v1',
  },
  {
    pkg: 'k8s.io.api.apps.v1',
    short: 'apps.v1',
    stem: 'apps_v1',
    out: 'apps-v1',
    from: 'k8s.io/api apps/v1',
  },
  {
    pkg: 'k8s.io.api.autoscaling.v1',
    short: 'autoscaling.v1',
    stem: 'autoscaling_v1',
    out: 'autoscaling-v1',
    from: 'k8s.io/api autoscaling/v1',
  },
  {
    pkg: 'k8s.io.api.authentication.v1',
    short: 'authentication.v1',
    stem: 'authentication_v1',
    out: 'authentication-v1',
    from: 'k8s.io/api authentication/v1',
  },
  {
    pkg: 'k8s.io.api.authorization.v1',
    short: 'authorization.v1',
    stem: 'authorization_v1',
    out: 'authorization-v1',
    from: 'k8s.io/api authorization/v1',
  },
  {
    pkg: 'k8s.io.api.batch.v1',
    short: 'batch.v1',
    stem: 'batch_v1',
    out: 'batch-v1',
    from: 'k8s.io/api batch/v1',
  },
  {
    pkg: 'k8s.io.api.discovery.v1',
    short: 'discovery.v1',
    stem: 'discovery_v1',
    out: 'discovery-v1',
    from: 'k8s.io/api discovery/v1',
  },
  {
    pkg: 'k8s.io.api.coordination.v1',
    short: 'coordination.v1',
    stem: 'coordination_v1',
    out: 'coordination-v1',
    from: 'k8s.io/api coordination/v1',
  },
  {
    pkg: 'k8s.io.api.rbac.v1',
    short: 'rbac.v1',
    stem: 'rbac_v1',
    out: 'rbac-v1',
    from: 'k8s.io/api rbac/v1',
  },
  {
    pkg: 'k8s.io.api.networking.v1',
    short: 'networking.v1',
    stem: 'networking_v1',
    out: 'networking-v1',
    from: 'k8s.io/api networking/v1',
  },
  {
    pkg: 'k8s.io.apimachinery.pkg.apis.meta.v1',
    short: 'meta.v1',
    stem: 'meta_v1',
    out: 'meta-v1',
    from: 'k8s.io/apimachinery pkg/apis/meta/v1',
  },
];
