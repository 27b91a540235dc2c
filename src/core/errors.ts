/**
 * Typed errors. Core code throws these; only src/cli turns them into an exit status and one line on stderr.
 *   UsageError        → exit 2 (bad option, bad input file, bad config)
 *   UnreachableError  → exit 3 (target could not be reached, or the result is inconclusive)
 * Anything else is a bug and is reported as one.
 */
export class UsageError extends Error {
  override readonly name = "UsageError";
  readonly exitCode = 2;
}

export class UnreachableError extends Error {
  override readonly name = "UnreachableError";
  readonly exitCode = 3;
}

export function isExpectedError(err: unknown): err is UsageError | UnreachableError {
  return err instanceof UsageError || err instanceof UnreachableError;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
