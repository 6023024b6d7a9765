import { alarProfile } from '@recycling/contracts';
import {
  createTokenVerifier,
  LOCAL_DEV_JWT_SECRET,
  inlineSchemaRefs,
  mountedRoutes,
} from '@recycling/service-kit';
import pino from 'pino';
import type { z } from 'zod';
import { createSchema } from 'zod-openapi';
import type { PickupContext } from '../src/app/context';
import { allRoutes, pickupApp } from '../src/http/app';
import { openApiPath } from '../src/http/route-table';

// Handlers are never called here: building the routes needs only the city profile.
const ctx = { profile: alarProfile } as PickupContext;
const { specs, document } = allRoutes(ctx);
const doc = document() as {
  openapi: string;
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, unknown> };
};

interface OperationObject {
  parameters?: Array<{ in: string; name: string; schema: unknown; required?: boolean }>;
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, unknown>;
}

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
    const app = pickupApp({
      ctx,
      logger: pino({ level: 'silent' }),
      verifier: createTokenVerifier({ secret: LOCAL_DEV_JWT_SECRET }),
    });
    const served = expressRoutes(app).filter((r) => !/ \/(healthz|readyz)$/.test(r));
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m} ${path}`),
    );
    expect(served.map((r) => r.replace(/:([A-Za-z0-9_]+)/g, '{$1}')).sort()).toEqual(documented.sort());
    expect(served).toContain('post /pickups');
    expect(served).toContain('get /openapi.json');
  });

  it.each(specs.map((s) => [`${s.method.toUpperCase()} ${s.path}`, s] as const))(
    '%s: the documented request schemas are the ones the route validates with',
    (_name, spec) => {
      const op = doc.paths[openApiPath(spec.path)]?.[spec.method];
      expect(op).toBeDefined();
      if (spec.request.body) {
        expect(inDoc(op!.requestBody?.content['application/json']?.schema)).toEqual(
          rendered(spec.request.body),
        );
      } else {
        expect(op!.requestBody).toBeUndefined();
      }
      for (const [where, schema] of [
        ['path', spec.request.params],
        ['query', spec.request.query],
        ['header', spec.request.headers],
      ] as const) {
        const params = (op!.parameters ?? []).filter((p) => p.in === where);
        const shape = (schema as z.ZodObject | undefined)?.shape ?? {};
        expect(params.map((p) => p.name).sort()).toEqual(Object.keys(shape).sort());
        for (const p of params) expect(inDoc(p.schema)).toEqual(rendered(shape[p.name] as z.ZodType));
      }
    },
  );

  it('documents a problem+json answer for bad input on every route', () => {
    for (const spec of specs) {
      const op = doc.paths[openApiPath(spec.path)]![spec.method]!;
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['400', '401', '403']));
    }
  });
});
