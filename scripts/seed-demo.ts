// Demo data for a local network (`npm start` runs this once the services answer /readyz):
//   pnpm exec tsx scripts/seed-demo.ts
// Slots, sites, stations, a dismantler and enterprises; residents' pickups in every state; intakes
// paid to people who consented, hence reverse invoices; one vehicle from pickup to dismantling;
// used-car sales; the statistics targets; a trade-in retailer, counter sale and car claim. Safe to run
// again: it creates only what is missing.
// Service URLs come from PICKUP_URL, SORTING_URL, … (default the ports of `npm start`); tokens are
// signed with JWT_SECRET, else the local development secret.
import { DemoClient, SeedError } from './demo/client';
import { APPLIANCE_PICKUPS, DISMANTLER, STATIONS, USED_CAR_MARKET, VEHICLE_RESIDENT } from './demo/content';
import { RETAILER, subsidies } from './demo/subsidies';
import {
  appliancePickup,
  putEnterprises,
  putSites,
  putSlots,
  reverseInvoices,
  targets,
  usedCars,
  vehicleToDismantling,
  type StepResult,
} from './demo/steps';

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const began = Date.now();
  const api = DemoClient.fromEnv();
  const results: StepResult[] = [];
  const step = async (name: string, run: () => Promise<StepResult>) => {
    const at = Date.now();
    const result = await run();
    results.push(result);
    say(`[seed] ✓ ${name}: ${result.line} (${((Date.now() - at) / 1000).toFixed(1)}s)`);
  };

  await step('slots', () => putSlots(api));
  await step('sites', () => putSites(api));
  await step('enterprises', () => putEnterprises(api));
  for (const p of APPLIANCE_PICKUPS) await step(`pickup (${p.state})`, () => appliancePickup(api, p));
  await step('vehicle', () => vehicleToDismantling(api));
  await step('used cars', () => usedCars(api));
  const invoiced = APPLIANCE_PICKUPS.filter((p) => p.state === 'delivered').length + 1;
  await step('reverse invoices', () => reverseInvoices(api, invoiced));
  await step('targets', () => targets(api));
  await step('trade-in subsidies', () => subsidies(api));

  const created = results.reduce((s, r) => s + r.created, 0);
  const portal = api.url('portal');
  say('');
  say(
    `[seed] demo data ready in ${((Date.now() - began) / 1000).toFixed(1)}s: ` +
      (created === 0 ? 'everything was already there, nothing new created' : `${created} new records`),
  );
  say(`[seed] sign in at ${portal}/ (local sign-in: pick a role, an id and a scope):`);
  const residents = [
    ...APPLIANCE_PICKUPS.map((p) => `${p.resident} (${p.state})`),
    `${VEHICLE_RESIDENT} (vehicle)`,
  ];
  for (const line of [
    `resident              id ${residents.join(', ')}`,
    `station-operator      scope ${STATIONS.map((s) => s.siteId).join(' or ')}`,
    `dismantler-operator   scope ${DISMANTLER.siteId}`,
    `used-car-market       scope ${USED_CAR_MARKET.marketId}`,
    `tax-officer           no scope (reverse invoices, declarations)`,
    `city-official         no scope (city dashboard: progress against the targets)`,
    `retailer-operator     scope ${RETAILER.retailerId} (trade-in counter sales)`,
    `commerce-reviewer     no scope (trade-in claims to review)`,
    `finance-officer       no scope (trade-in payments and the fund)`,
    `administrator         no scope (slots, sites, statistics and targets)`,
  ]) {
    say(`[seed]   ${line}`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(
    `[seed] ✗ ${err instanceof SeedError || err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(1);
});
