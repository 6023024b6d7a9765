// Mints a bearer token for local runs:
//   pnpm -s token --role resident --sub r-1001
//   pnpm -s token --role station-operator --sub op-7 --scope st-01 --ttl 2h
//   pnpm -s token --role tax-officer --sub tax-1
// Signed HS256 with JWT_SECRET, else the local development secret the services accept locally.
// Prints the token alone on stdout (`-s` keeps pnpm's own lines out), so TOKEN=$(pnpm -s token …).
import { parseArgs } from 'node:util';
import { CITY_WIDE_ROLES, LOCAL_DEV_JWT_SECRET, ROLES, type Role } from '../packages/service-kit/src/roles';
import { mintToken } from '../packages/service-kit/src/token';

const usage = `Usage: pnpm -s token --role <role> --sub <id> [--scope <id>] [--name <text>] [--ttl 8h]

  --role   one of ${ROLES.join(', ')}
  --sub    the subject: resident, operator or officer id
  --scope  whose data the token may touch: a resident's own id (default: --sub), the station or
           enterprise id of an operator, the market id; none for ${CITY_WIDE_ROLES.join(' and ')}
  --name   a display name (optional)
  --ttl    lifetime: 30m, 8h, 2d (default 8h)
Environment: JWT_SECRET (default the local development secret), JWT_ISSUER, JWT_AUDIENCE.`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${usage}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        role: { type: 'string' },
        sub: { type: 'string' },
        scope: { type: 'string' },
        name: { type: 'string' },
        ttl: { type: 'string', default: '8h' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const role = values.role as Role | undefined;
  if (!role || !ROLES.includes(role)) fail(`--role must be one of: ${ROLES.join(', ')}`);
  if (!values.sub) fail('--sub is required');
  if (!/^\d+[smhdw]$/.test(values.ttl)) fail('--ttl must look like 30m, 8h or 2d');
  const cityWide = CITY_WIDE_ROLES.includes(role);
  const scope = values.scope ?? (role === 'resident' ? values.sub : undefined);
  if (!cityWide && !scope) fail(`--scope is required for ${role}`);

  const token = await mintToken({
    sub: values.sub,
    role,
    scope: cityWide ? undefined : scope,
    name: values.name,
    ttl: values.ttl,
    secret: process.env.JWT_SECRET || LOCAL_DEV_JWT_SECRET,
    issuer: process.env.JWT_ISSUER || undefined,
    audience: process.env.JWT_AUDIENCE || undefined,
  });
  process.stdout.write(`${token}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
