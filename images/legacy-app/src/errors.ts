// Typed errors of the legacy app. A ConfigError names the environment variable it is about; exit 2.
export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly exitCode = 2;
  constructor(
    message: string,
    readonly setting: string,
  ) {
    super(message);
  }
}
