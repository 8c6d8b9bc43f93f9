/**
 * What /version answers. The minor matters beyond display: the kubectl on PATH here is the
 * Google Cloud SDK dispatcher, which execs `kubectl.1.<minor>`; "32" pins the kubectl 1.32 whose
 * wire behaviour podbay is built and tested against.
 */
export const KUBERNETES_VERSION = { major: '1', minor: '32', patch: '0' } as const;
export const PODBAY_VERSION = '0.1.0';

export const VERSION_INFO = {
  major: KUBERNETES_VERSION.major,
  minor: KUBERNETES_VERSION.minor,
  gitVersion: `v${KUBERNETES_VERSION.major}.${KUBERNETES_VERSION.minor}.${KUBERNETES_VERSION.patch}+podbay-${PODBAY_VERSION}`,
  gitCommit: '',
  gitTreeState: 'clean',
  buildDate: '2026-11-25T00:00:00Z',
  goVersion: `node${process.versions.node}`,
  compiler: 'tsc',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
} as const;
