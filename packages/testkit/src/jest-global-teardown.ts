import type { TestInfra } from './infra';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __TEST_INFRA__?: TestInfra }).__TEST_INFRA__?.stop();
  // Private brokers and stores of test files whose worker died before their afterAll (a timeout, a
  // crash): their owners are gone now, so they are stopped and their data removed.
  try {
    const { removeAbandonedPrivateInfra } = await import('@recycling/infra-local');
    await removeAbandonedPrivateInfra(() => undefined);
  } catch {
    // no local infrastructure here (another origin of the broker and store): nothing to sweep
  }
}
