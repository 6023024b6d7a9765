import type { InvoicingContext } from './context';
import { prepareDueDeclarations } from './declarations';

/**
 * Prepares last month's declarations at an interval: background work of the service, stopped
 * before messaging at shutdown. Preparing is idempotent (an unchanged declaration is left alone)
 * and runs under per-declaration locks, so replicas may all run this.
 */
export function startDeclarationScheduler(
  ctx: InvoicingContext,
  intervalMs: number,
): { name: string; stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running) return;
    running = prepareDueDeclarations(ctx)
      .then((n) => {
        if (n > 0) ctx.logger.info({ prepared: n }, 'monthly declarations prepared');
      })
      .catch((err: unknown) => ctx.logger.warn({ err }, 'declaration scheduler pass failed; will retry'))
      .finally(() => (running = undefined));
  };
  const first = setTimeout(tick, Math.min(intervalMs, 10_000));
  const timer = setInterval(tick, intervalMs);
  first.unref();
  timer.unref();
  return {
    name: 'declaration scheduler',
    async stop() {
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
