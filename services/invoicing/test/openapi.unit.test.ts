import { alarProfile } from '@recycling/contracts';
import {
  LOCAL_DEV_JWT_SECRET,
  createTokenVerifier,
  inlineSchemaRefs,
  mountedRoutes,
} from '@recycling/service-kit';
import pino from 'pino';
import type { z } from 'zod';
import { createSchema } from 'zod-openapi';
import type { AppContext } from '../src/app/context';
import { invoicingApp } from '../src/http/app';
import { openApiDocument } from '../src/http/openapi';
import { openApiPath } from '../src/http/route';
import { routeTable } from '../src/http/routes';

// The document is generated from the route table the app mounts; these tests check that nothing is
// served undocumented and that each documented request schema is the one the route validates with.

// Handlers are never called here, so the context needs only the profile.
const ctx = { profile: alarProfile } as AppContext;
const routes = routeTable(ctx, { feedSettleMs: 0 });

interface OperationObject {
  parameters?: Array<{ in: string; name: string; schema: unknown; required?: boolean }>;
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, unknown>;
}
const doc = openApiDocument(routes) as unknown as {
  openapi: string;
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, unknown> };
};

const rendered = (schema: z.ZodType) => {
  const { schema: s, components } = createSchema(schema, { io: 'input' });
  return inlineSchemaRefs(s, components as Record<string, unknown>);
};
const inDoc = (schema: unknown) => inlineSchemaRefs(schema, doc.components?.schemas ?? {});

/** `method path` of every route the app serves, as express writes them. */
const expressRoutes = (app: unknown): string[] => mountedRoutes(app).map((r) => `${r.method} ${r.path}`);

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 and lists exactly the routes the app serves', () => {
    expect(doc.openapi).toBe('3.1.0');
    const app = invoicingApp({
      ctx,
      logger: pino({ level: 'silent' }),
      verifier: createTokenVerifier({ secret: LOCAL_DEV_JWT_SECRET }),
      feedSettleMs: 0,
    });
    const served = expressRoutes(app)
      .filter((r) => !/ \/(healthz|readyz)$/.test(r))
      .map((r) => r.replace(/:([A-Za-z0-9_]+)/g, '{$1}'));
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m} ${path}`),
    );
    expect(served.sort()).toEqual(documented.sort());
    expect(served).toEqual(
      expect.arrayContaining([
        'put /enterprises/{enterpriseId}',
        'get /feed/invoices',
        'post /declarations',
        'get /residents/me/invoices',
        'get /openapi.json',
      ]),
    );
  });

  it.each(routes.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))(
    '%s: the documented request schemas are the ones the route validates with',
    (_name, r) => {
      const op = doc.paths[openApiPath(r.path)]![r.method]!;
      if (r.schemas.body) {
        expect(inDoc(op.requestBody!.content['application/json']!.schema)).toEqual(rendered(r.schemas.body));
      } else {
        expect(op.requestBody).toBeUndefined();
      }
      for (const [where, schema] of [
        ['path', r.schemas.params],
        ['query', r.schemas.query],
      ] as const) {
        const documented = (op.parameters ?? []).filter((p) => p.in === where);
        const shape = (schema?.shape ?? {}) as Record<string, z.ZodType>;
        expect(documented.map((p) => p.name).sort()).toEqual(Object.keys(shape).sort());
        for (const p of documented) expect(inDoc(p.schema)).toEqual(rendered(shape[p.name]!));
      }
      expect(op.responses).toHaveProperty('401');
      expect(op.responses).toHaveProperty('403');
    },
  );
});
