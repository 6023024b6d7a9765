// Progress of provisioning: one line per finished step with its duration and the time since the
// start, so a slow first run shows where the time goes. Failures name what to do next.
import { InfraError, errorMessage, reportedErrors } from './errors';

export type Log = (line: string) => void;

export const stderrLog: Log = (line) => process.stderr.write(`${line}\n`);
export const silentLog: Log = () => undefined;

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

export class Progress {
  readonly startedAt = Date.now();

  constructor(
    readonly log: Log,
    private readonly prefix = '[infra]',
  ) {}

  elapsedMs(): number {
    return Date.now() - this.startedAt;
  }

  line(text: string): void {
    this.log(`${this.prefix} ${text}`);
  }

  /** Runs one step; `fn` may return a note (e.g. "cached") shown after the label. */
  async step<T>(label: string, fn: () => Promise<T>, note?: (result: T) => string | undefined): Promise<T> {
    const began = Date.now();
    try {
      const result = await fn();
      const extra = note?.(result);
      this.line(
        `✓ ${label}${extra ? ` (${extra})` : ''}  ${seconds(Date.now() - began)}, at ${seconds(this.elapsedMs())}`,
      );
      return result;
    } catch (err) {
      this.line(`✗ ${label}  failed after ${seconds(Date.now() - began)}: ${errorMessage(err)}`);
      if (err instanceof InfraError && err.hint) this.line(`  → ${err.hint}`);
      if (err instanceof Error) reportedErrors.add(err);
      throw err;
    }
  }
}
