import { freeText } from '@recycling/contracts';
// The portal's own API bodies, as zod schemas: the routes validate with them and the OpenAPI
// document is generated from them, so the two cannot drift.
import { z } from 'zod';
import { CITY_WIDE_ROLES, ROLES } from '@recycling/service-kit';

const Ident = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,64}$/, 'letters, digits and . _ : - (1-64)')
  .describe('An opaque identifier');

export const DevTokenRequest = z
  .strictObject({
    role: z.enum(ROLES).describe('Role to sign in as'),
    sub: Ident.describe('Subject: the resident id, or the staff member id'),
    scope: Ident.optional().describe(
      'Resident: own id (defaults to sub); station / dismantler / market: the site id; city-wide roles: none',
    ),
    name: freeText({ max: 50 }).optional().describe('Display name shown in the portal header'),
  })
  .superRefine((b, ctx) => {
    // Every role that is neither a resident nor city-wide acts for one site, retailer, institution
    // or enterprise: its token names it.
    const sited = b.role !== 'resident' && !CITY_WIDE_ROLES.includes(b.role);
    if (sited && !b.scope)
      ctx.addIssue({ code: 'custom', path: ['scope'], message: 'the site id is required' });
    if (CITY_WIDE_ROLES.includes(b.role) && b.scope) {
      ctx.addIssue({ code: 'custom', path: ['scope'], message: 'city-wide roles carry no scope' });
    }
    if (b.role === 'resident' && b.scope && b.scope !== b.sub) {
      ctx.addIssue({ code: 'custom', path: ['scope'], message: "a resident's scope is their own id" });
    }
  })
  .meta({ id: 'DevTokenRequest', description: 'Local sign-in: who to mint a development token for' });
export type DevTokenRequest = z.infer<typeof DevTokenRequest>;

export const DevTokenResponse = z
  .object({
    token: z.string().describe('HS256 bearer token for the services'),
    principal: z.object({
      sub: z.string(),
      role: z.enum(ROLES),
      scope: z.string().optional(),
      name: z.string().optional(),
    }),
    expiresAt: z.iso.datetime().describe('When the token stops being accepted (UTC)'),
  })
  .meta({ id: 'DevTokenResponse' });
export type DevTokenResponse = z.infer<typeof DevTokenResponse>;

const LabelSchema = z.object({ zh: z.string(), en: z.string() });
const CodeLabelSchema = z.object({ code: z.string(), name: LabelSchema });

export const ReferenceResponse = z
  .object({
    city: z.object({ code: z.string(), name: LabelSchema, timezone: z.string() }),
    districts: z.array(CodeLabelSchema.extend({ kind: z.string() })),
    applianceCategories: z.array(CodeLabelSchema.extend({ defaultWeightGrams: z.int() })),
    vehicleTypes: z.array(CodeLabelSchema),
    fuelTypes: z.array(CodeLabelSchema),
    emissionStandards: z.array(CodeLabelSchema),
    idDocumentTypes: z.array(CodeLabelSchema),
    sortingOutcomes: z.array(CodeLabelSchema),
    majorAssemblies: z.array(CodeLabelSchema),
    pickupStatuses: z.array(CodeLabelSchema),
    targets: z.object({
      baselineYear: z.int(),
      targetYear: z.int(),
      assumed: z.boolean(),
      metrics: z.array(
        CodeLabelSchema.extend({ unit: LabelSchema, baseline: z.int(), target: z.int(), growthBp: z.int() }),
      ),
    }),
  })
  .meta({
    id: 'PortalReference',
    description: "City profile and national code lists for the portal's forms",
  });

export const ProxyParams = z.object({
  service: z.string().describe('pickup, sorting, dismantling, invoicing or statistics'),
  // express gives the rest of the path as its segments (none for /api/<service>/); the document
  // shows it as the one string it is in the URL.
  rest: z
    .custom<string | string[] | undefined>(
      (v) =>
        v === undefined ||
        typeof v === 'string' ||
        (Array.isArray(v) && v.every((s) => typeof s === 'string')),
    )
    .meta({
      override: { type: 'string' },
      param: { required: true },
      description: 'Path inside the service, e.g. pickups/pk-20250228-1a2b3c4d',
    }),
});
