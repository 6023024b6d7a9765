import { alarProfile } from '@recycling/contracts';
import { mountedRoutes } from '@recycling/service-kit';
import express from 'express';
import { z } from 'zod';
import { openApiDocument } from '../src/http/openapi';
import { mountRoutes, openApiPath, type RouteSpec } from '../src/http/route-spec';
import { routeSpecs, type RouteContext } from '../src/http/routes';

// The handlers are never called here: only the table of routes and schemas is read.
const specs: RouteSpec[] = routeSpecs({ profile: alarProfile } as RouteContext);
const doc = openApiDocument(specs) as unknown as {
  openapi: string;
  paths: Record<string, Record<string, OperationDoc>>;
  components: { schemas: Record<string, JsonSchema> };
};

interface JsonSchema {
  $ref?: string;
  properties?: Record<string, unknown>;
  required?: string[];
}
interface OperationDoc {
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  'x-roles': string[];
}

const resolve = (s: JsonSchema): JsonSchema =>
  s.$ref ? (doc.components.schemas[s.$ref.replace('#/components/schemas/', '')] ?? {}) : s;

/** zod's own JSON Schema of the route's schema, with a top-level component reference followed. */
const inputJsonSchema = (schema: z.ZodType): JsonSchema => {
  const out = z.toJSONSchema(schema, { io: 'input' }) as JsonSchema & { $defs?: Record<string, JsonSchema> };
  return out.$ref ? (out.$defs?.[out.$ref.replace('#/$defs/', '')] ?? {}) : out;
};

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 and lists every mounted route, and nothing else', () => {
    expect(doc.openapi).toBe('3.1.0');
    const router = express.Router();
    mountRoutes(router, specs);
    const mounted = mountedRoutes(router)
      .map((r) => `${r.method} ${openApiPath(r.path)}`)
      .sort();
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`))
      .sort();
    expect(documented).toEqual(mounted);
    expect(mounted.length).toBe(specs.length);
  });

  it.each(specs.map((s) => [`${s.method} ${s.path}`, s] as const))(
    '%s documents the schemas it validates with',
    (_name, spec) => {
      const op = doc.paths[openApiPath(spec.path)]![spec.method]!;
      expect(op['x-roles']).toEqual(spec.roles);
      if (spec.schemas.body) {
        const documented = resolve(op.requestBody!.content['application/json']!.schema);
        const expected = inputJsonSchema(spec.schemas.body);
        expect(Object.keys(documented.properties ?? {}).sort()).toEqual(
          Object.keys(expected.properties ?? {}).sort(),
        );
        expect([...(documented.required ?? [])].sort()).toEqual([...(expected.required ?? [])].sort());
        expect(documented).toEqual(expect.objectContaining({ properties: expected.properties }));
      } else {
        expect(op.requestBody).toBeUndefined();
      }
      for (const [where, schema] of [
        ['query', spec.schemas.query],
        ['path', spec.schemas.params],
      ] as const) {
        const params = (op.parameters ?? []).filter((p) => p.in === where);
        if (!schema) {
          expect(params).toEqual([]);
          continue;
        }
        const expected = inputJsonSchema(schema);
        expect(params.map((p) => p.name).sort()).toEqual(Object.keys(expected.properties ?? {}).sort());
        for (const p of params) expect(Boolean(p.required)).toBe((expected.required ?? []).includes(p.name));
      }
    },
  );
});
