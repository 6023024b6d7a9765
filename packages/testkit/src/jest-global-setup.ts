// Jest global setup of the integration project: runs once in the parent process before any
// worker starts, so the environment it sets is inherited by every test file.
import { buildWorkspace } from '@recycling/infra-local';
import { dropOldTestTopics } from './broker';
import { resolveTestInfra } from './infra';

export default async function globalSetup(): Promise<void> {
  // The tests' network runs the services as they ship: compiled JavaScript (infra/local/src/build.ts).
  const built = await buildWorkspace();
  if (built.packages > 0)
    console.log(`\n[testkit] compiled ${built.files} files of ${built.packages} packages in ${built.ms} ms`);
  const infra = await resolveTestInfra();
  process.env.KAFKA_BROKERS = infra.kafkaBrokers;
  process.env.MONGO_URL = infra.mongoUrl;
  (globalThis as { __TEST_INFRA__?: typeof infra }).__TEST_INFRA__ = infra;
  if (infra.origin === 'local') {
    // The workspace's own broker outlives test runs; what they left would pile up without end.
    const dropped = await dropOldTestTopics(infra.kafkaBrokers).catch(() => 0);
    if (dropped > 0) console.log(`\n[testkit] deleted ${dropped} test topics of runs over 3 hours old`);
  }
  console.log(`\n[testkit] broker ${infra.kafkaBrokers}, store ${infra.mongoUrl} (${infra.origin})`);
}
