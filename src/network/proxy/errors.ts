/** Typed errors of the service proxy, each with a stable code. */

export class NftApplyError extends Error {
  readonly code = 'PODBAY_PROXY_NFT';
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(
      `${command} failed (exit ${exitCode ?? 'signal'}): ${stderr.trim().split('\n').slice(0, 6).join(' | ')}`,
    );
    this.name = 'NftApplyError';
  }
}
