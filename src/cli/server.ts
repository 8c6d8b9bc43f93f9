/**
 * `podbay server`: runs the engine in the foreground until SIGTERM or SIGINT, then stops it
 * cleanly (watches ended, store closed) and exits 0.
 */
import { parseArgs } from 'node:util';
import { parseGoDuration } from '../api/registry/cronjobs/go-duration.js';
import { DEFAULT_INGRESS_HTTP, DEFAULT_INGRESS_HTTPS } from '../network/ingress/ingress-class.js';
import { Engine } from '../server/engine.js';
import { parseListen } from './listen.js';
import { klog } from './log.js';

export const DEFAULT_DATA_DIR = '/var/lib/podbay';
export const DEFAULT_LISTEN = '127.0.0.1:6443';

export const SERVER_USAGE = `Usage: podbay server [--data-dir DIR] [--listen HOST:PORT]

Runs the podbay API server (Kubernetes 1.32 API) in the foreground.

  --data-dir DIR       state, PKI and kubeconfig (default ${DEFAULT_DATA_DIR})
  --listen HOST:PORT   HTTPS address (default ${DEFAULT_LISTEN})
  --default-watch-cache-size N
                       watch events kept for resume (default 5000); older resumes get 410 Gone
  --no-run-pods        serve the API only: pods are stored but never scheduled or run (as a
                       kube-apiserver without nodes); by default this machine is the node and
                       runs them (scheduler, kubelet, container runtime; needs root)
  --cleanup-on-exit    on shutdown remove every pod and leave the machine clean
  --pod-cidr CIDR      pod addresses, on the podbay0 bridge (default 10.244.0.0/16)
  --service-cidr CIDR  Service ClusterIPs (default 10.96.0.0/12; kubernetes = .1, cluster DNS = .10)
                       Both ranges are fixed for a data dir's life.
  --pod-egress         let pods reach beyond this machine, masqueraded (default: they cannot)
  --resolv-conf FILE   where the cluster DNS forwards outside names, and what dnsPolicy Default
                       pods get (default /etc/resolv.conf, or $PODBAY_RESOLV_CONF)
  --pod-max-pids N     pids.max of every pod's cgroup (kubelet's --pod-max-pids; default 4096,
                       -1 = unlimited)
  --image-catalog FILE image catalog entries above DIR/images/catalog.yaml and the repository's
                       images/catalog.yaml (repeatable)
  --horizontal-pod-autoscaler-sync-period DURATION
                       how often the HPA controller reconciles each HorizontalPodAutoscaler
                       (kube-controller-manager's flag; default 15s)
  --horizontal-pod-autoscaler-downscale-stabilization DURATION
                       how long an HPA without spec.behavior looks back before scaling down
                       (kube-controller-manager's flag; default 5m0s)
  --ingress-http HOST:PORT
                       the ingress controller's HTTP listener, serving Ingresses of the class
                       podbay (default ${DEFAULT_INGRESS_HTTP.host}:${DEFAULT_INGRESS_HTTP.port}; port 0 picks a free one)
  --ingress-https HOST:PORT
                       its HTTPS listener, certificates from the Ingresses' TLS Secrets by SNI
                       (default ${DEFAULT_INGRESS_HTTPS.host}:${DEFAULT_INGRESS_HTTPS.port})

Once ready it writes DIR/kubeconfig; point kubectl at it:
  export KUBECONFIG=DIR/kubeconfig; kubectl get nodes`;

export async function serverCommand(argv: string[]): Promise<number> {
  // parseArgs on Node 20 has no negated booleans: --no-run-pods is taken out by hand.
  const apiOnly = argv.includes('--no-run-pods');
  const { values } = parseArgs({
    args: argv.filter((a) => a !== '--no-run-pods'),
    options: {
      'data-dir': { type: 'string', default: DEFAULT_DATA_DIR },
      listen: { type: 'string', default: DEFAULT_LISTEN },
      'default-watch-cache-size': { type: 'string', default: '5000' },
      // The default since pods run by default; kept so older command lines still work.
      'run-pods': { type: 'boolean', default: true },
      'cleanup-on-exit': { type: 'boolean', default: false },
      'pod-cidr': { type: 'string' },
      'service-cidr': { type: 'string' },
      'pod-egress': { type: 'boolean', default: false },
      'resolv-conf': { type: 'string' },
      'image-catalog': { type: 'string', multiple: true },
      'pod-max-pids': { type: 'string' },
      'horizontal-pod-autoscaler-sync-period': { type: 'string' },
      'horizontal-pod-autoscaler-downscale-stabilization': { type: 'string' },
      'ingress-http': { type: 'string' },
      'ingress-https': { type: 'string' },
      // Test-only: CrashLoopBackOff base period in ms (upstream's 10000); not in the usage text.
      'test-backoff-base-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${SERVER_USAGE}\n`);
    return 0;
  }
  const { host, port } = parseListen(values.listen!);
  const watchHistory = Number(values['default-watch-cache-size']);
  if (!Number.isInteger(watchHistory) || watchHistory < 10) {
    throw new Error(
      `--default-watch-cache-size: invalid value ${JSON.stringify(values['default-watch-cache-size'])}: expected an integer >= 10`,
    );
  }
  const backoffText = values['test-backoff-base-ms'];
  const backoffBaseMs = backoffText === undefined ? undefined : Number(backoffText);
  if (backoffBaseMs !== undefined && !(Number.isInteger(backoffBaseMs) && backoffBaseMs > 0)) {
    throw new Error(
      `--test-backoff-base-ms: invalid value ${JSON.stringify(backoffText)}: expected a positive integer`,
    );
  }
  const pidsText = values['pod-max-pids'];
  const podPidsLimit = pidsText === undefined ? undefined : Number(pidsText);
  if (
    podPidsLimit !== undefined &&
    !(Number.isInteger(podPidsLimit) && (podPidsLimit === -1 || podPidsLimit > 0))
  ) {
    throw new Error(
      `--pod-max-pids: invalid value ${JSON.stringify(pidsText)}: expected a positive integer or -1`,
    );
  }
  const hpaSyncPeriodMs = durationFlag(values, 'horizontal-pod-autoscaler-sync-period', false);
  const hpaDownscaleStabilizationMs = durationFlag(
    values,
    'horizontal-pod-autoscaler-downscale-stabilization',
    true,
  );
  const started = process.hrtime.bigint();
  const engine = await Engine.start({
    dataDir: values['data-dir']!,
    host,
    port,
    watchHistory,
    runPods: !apiOnly,
    cleanupOnExit: values['cleanup-on-exit'] === true,
    ...(values['pod-cidr'] !== undefined && { podCidr: values['pod-cidr'] }),
    ...(values['service-cidr'] !== undefined && { serviceCidr: values['service-cidr'] }),
    podEgress: values['pod-egress'] === true,
    ...(values['resolv-conf'] !== undefined && { resolvConf: values['resolv-conf'] }),
    imageCatalogs: values['image-catalog'] ?? [],
    // kubelet's -1 (unlimited) is the kubelet's 0 here.
    ...(podPidsLimit !== undefined && { podPidsLimit: podPidsLimit === -1 ? 0 : podPidsLimit }),
    ...(backoffBaseMs !== undefined && { backoffBaseMs }),
    ...(hpaSyncPeriodMs !== undefined && { hpaSyncPeriodMs }),
    ...(hpaDownscaleStabilizationMs !== undefined && { hpaDownscaleStabilizationMs }),
    ...(values['ingress-http'] !== undefined && {
      ingressHttp: parseListen(values['ingress-http'], '--ingress-http'),
    }),
    ...(values['ingress-https'] !== undefined && {
      ingressHttps: parseListen(values['ingress-https'], '--ingress-https'),
    }),
    log: (m) => klog('I', m),
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  klog(
    'I',
    `podbay API server ready at ${engine.url} in ${ms.toFixed(0)} ms; kubeconfig: ${engine.kubeconfigPath}`,
  );
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (sig: string) => {
      if (stopping) return;
      stopping = true;
      klog('I', `${sig} received, shutting down`);
      engine.stop().then(
        () => resolve(0),
        (e) => {
          klog('E', `shutdown failed: ${(e as Error).stack ?? e}`);
          resolve(1);
        },
      );
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
}

/** A Go duration flag (`15s`, `1m30s`), in ms; positive, or also zero when `zeroOk`. */
function durationFlag(values: Record<string, unknown>, flag: string, zeroOk: boolean): number | undefined {
  const text = values[flag];
  if (typeof text !== 'string') return undefined;
  const ms = parseGoDuration(text);
  if (ms === undefined || ms < 0 || (ms === 0 && !zeroOk)) {
    throw new Error(
      `--${flag}: invalid value ${JSON.stringify(text)}: expected a ${zeroOk ? 'non-negative' : 'positive'} duration such as 15s`,
    );
  }
  return ms;
}
