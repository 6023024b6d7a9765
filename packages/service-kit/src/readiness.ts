// Readiness checks for /readyz. A check resolves when its dependency can serve and throws (or
// times out) when it cannot.
import type { Connection } from 'mongoose';

export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
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

/** Ready when the cluster answers with at least one broker (give it a connected kafkajs Admin). */
export function kafkaReadiness(admin: ClusterDescriber, name = 'kafka'): ReadinessCheck {
  return {
    name,
    check: async () => {
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length === 0) throw new Error('no brokers');
    },
  };
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { status: 'ok' | 'failed'; error?: string; durationMs: number }>;
}

/** Runs every check in parallel, each bounded by `timeoutMs`. */
export async function runReadinessChecks(
  checks: readonly ReadinessCheck[],
  timeoutMs = 2_000,
): Promise<ReadinessReport> {
  const results = await Promise.all(
    checks.map(async ({ name, check }) => {
      const started = Date.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          check(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return [name, { status: 'ok' as const, durationMs: Date.now() - started }] as const;
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        return [name, { status: 'failed' as const, error, durationMs: Date.now() - started }] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { ready: results.every(([, r]) => r.status === 'ok'), checks: Object.fromEntries(results) };
}
