// An error that tells the reader what to do next, shown as "✗ <message>" and "→ <hint>".
export class InfraError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'InfraError';
  }
}

export const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Errors already shown to the user by a progress line, so the CLI does not repeat them. */
export const reportedErrors = new WeakSet<object>();
