/**
 * The runtime's error catalog. Each error has a stable `code`; the kubelet maps them to container
 * waiting reasons (ImageNotFoundError -> ErrImagePull, ContainerCreateError -> CreateContainerError,
 * ...). Messages name the offending field or value.
 */

export type RuntimeErrorCode =
  | 'ImageNotFound'
  | 'CatalogInvalid'
  | 'NotFound'
  | 'InvalidArgument'
  | 'SandboxSetup'
  | 'ContainerStart'
  | 'Exec'
  | 'Attach'
  | 'Command';

export class RuntimeError extends Error {
  override readonly name: string = 'RuntimeError';
  constructor(
    readonly code: RuntimeErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** An image reference no catalog entry matches; the message says how to add one. */
export class ImageNotFoundError extends RuntimeError {
  override readonly name = 'ImageNotFoundError';
  constructor(
    readonly reference: string,
    userCatalogPath: string,
  ) {
    super(
      'ImageNotFound',
      `image "${reference}" is not in podbay's image catalog: podbay runs images from this machine's ` +
        `packages, so map it by adding an entry to ${userCatalogPath} (pattern, entrypoint, cmd, env, ` +
        `packages), the same shape as images/catalog.yaml`,
    );
  }
}

export class NotFoundError extends RuntimeError {
  override readonly name = 'NotFoundError';
  constructor(kind: 'sandbox' | 'container', id: string) {
    super('NotFound', `${kind} ${JSON.stringify(id)} not found`);
  }
}

export class InvalidArgumentError extends RuntimeError {
  override readonly name = 'InvalidArgumentError';
  constructor(field: string, detail: string) {
    super('InvalidArgument', `${field}: ${detail}`);
  }
}

/** A host command (ip, nft, the shim) failed; carries its stderr. */
export class CommandError extends RuntimeError {
  override readonly name = 'CommandError';
  constructor(
    readonly argv: string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super('Command', `${argv.join(' ')} exited ${exitCode}: ${stderr.trim()}`);
  }
}
