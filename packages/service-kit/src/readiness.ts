// Readiness checks for /readyz. A check resolves when its dependency can serve and throws (or
// times out) when it cannot. A required check that fails makes the instance not ready (503: take
// it out of the load balancer); one that is not required is reported, and the instance stays ready
// ("degraded"), because its API still works without that dependency.
import type { Connection } from 'mongoose';

export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
  /** Default true: without this dependency the instance cannot serve its API. */
  required?: boolean;
}

/** Ready when the mongoose connection is open (readyState 1) and the server answers a ping. */
export function mongoReadiness(connection: Connection, name = 'mongo'): ReadinessCheck {
  return {
    name,
    check: async () => {
      if (connection.readyState !== 1)
        throw new Error(`connection state ${connection.readyState}, not connected`);
      const db = connection.db;
      if (!db) throw new Error('no database handle');
      await db.command({ ping: 1 });
    },
  };
}

/** Anything that can describe the Kafka cluster: a connected kafkajs Admin fits. */
export interface ClusterDescriber {
  describeCluster(): Promise<{ brokers: unknown[] }>;
}

/**
 * The cluster answers with at least one broker (give it a connected kafkajs Admin). Not required by
 * default: a service's HTTP API does not need the broker (events wait in the outbox, consumers catch
 * up once it is back), so a broker outage must not take every instance out of the load balancer.
 * Pass `{ required: true }` for a service whose requests do need it.
 */
export function kafkaReadiness(
  admin: ClusterDescriber,
  name = 'kafka',
  { required = false }: { required?: boolean } = {},
): ReadinessCheck {
  return {
    name,
    required,
    check: async () => {
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length === 0) throw new Error('no brokers');
    },
  };
}

export interface ReadinessReport {
  /** Every required check passed. */
  ready: boolean;
  /** Ready, but a check that is not required failed. */
  degraded: boolean;
  checks: Record<string, { status: 'ok' | 'failed'; error?: string; durationMs: number; required?: false }>;
}

/** Runs every check in parallel, each bounded by `timeoutMs`. */
export async function runReadinessChecks(
  checks: readonly ReadinessCheck[],
  timeoutMs = 2_000,
): Promise<ReadinessReport> {
  const results = await Promise.all(
    checks.map(async ({ name, check, required = true }) => {
      const started = Date.now();
      const optional = required ? {} : { required: false as const };
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          check(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return [name, { status: 'ok' as const, durationMs: Date.now() - started, ...optional }] as const;
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        return [
          name,
          { status: 'failed' as const, error, durationMs: Date.now() - started, ...optional },
        ] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const failed = results.filter(([, r]) => r.status === 'failed');
  return {
    ready: failed.every(([, r]) => r.required === false),
    degraded: failed.length > 0,
    checks: Object.fromEntries(results),
  };
}
