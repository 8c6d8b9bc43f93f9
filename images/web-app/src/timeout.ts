// Bounds a promise by a deadline. The clients carry their own timeouts too; this is the guarantee that
// a readiness answer comes within the probe's budget even if a client's timer does not fire.
export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what} timed out after ${ms}ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
