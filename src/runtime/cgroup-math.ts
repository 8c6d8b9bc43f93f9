/**
 * kubelet's CPU arithmetic (pkg/kubelet/cm/helpers_linux.go) and the cgroup v2 weight conversion of
 * opencontainers/cgroups (runc >= 1.3.2). Pure functions, so the values are testable exactly.
 */

/** CFS period kubelet uses: 100 ms. */
export const QUOTA_PERIOD_US = 100_000;
const MIN_QUOTA_PERIOD_US = 1_000;
export const MIN_SHARES = 2;
export const MAX_SHARES = 262_144;
const SHARES_PER_CPU = 1024;
const MILLI_CPU_TO_CPU = 1000;

/** `MilliCPUToQuota`: 0 millicores means no limit, returned as -1 (cgroup v1's "unlimited"). */
export function milliCpuToQuota(milliCpu: number, periodUs = QUOTA_PERIOD_US): number {
  if (milliCpu === 0) return -1;
  const quota = Math.floor((milliCpu * periodUs) / MILLI_CPU_TO_CPU);
  return Math.max(quota, MIN_QUOTA_PERIOD_US);
}

/** `MilliCPUToShares`: request millicores to cpu.shares, clamped to [2, 262144]. */
export function milliCpuToShares(milliCpu: number): number {
  if (milliCpu === 0) return MIN_SHARES;
  const shares = Math.floor((milliCpu * SHARES_PER_CPU) / MILLI_CPU_TO_CPU);
  return Math.min(Math.max(shares, MIN_SHARES), MAX_SHARES);
}

/**
 * `ConvertCPUSharesToCgroupV2Value` (runc >= 1.3.2): a quadratic fit in log2 space that maps
 * 2 -> 1, 1024 -> 100 (the defaults line up) and 262144 -> 10000.
 */
export function sharesToWeight(shares: number): number {
  if (shares === 0) return 0;
  if (shares <= MIN_SHARES) return 1;
  if (shares >= MAX_SHARES) return 10_000;
  const l = Math.log2(shares);
  const exponent = (l * l + 125 * l) / 612 - 7 / 34;
  return Math.ceil(10 ** exponent);
}
