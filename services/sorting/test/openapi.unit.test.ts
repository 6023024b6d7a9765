import express from 'express';
import { mountedRoutes } from '@recycling/service-kit';
import { createSchema } from 'zod-openapi';
import type { SortingContext } from '../src/app/context';
import { buildOpenApiDocument, openApiPath } from '../src/http/openapi';
import { IntakeIdempotencyHeader, mountRoutes, routeTable } from '../src/http/routes';

// The document must list every route the router serves, and describe each request with the very
// schemas the route validates with.

const table = routeTable({ models: {} } as unknown as SortingContext, () => ({}));
const doc = buildOpenApiDocument(table) as unknown as {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      {
        requestBody?: { content: Record<string, { schema: unknown }> };
        parameters?: Array<{ name: string; in: string }>;
      }
    >
  >;
  components?: { schemas?: Record<string, unknown> };
};

/** Follows a component $ref, so inline and referenced schemas compare alike. */
const resolve = (schema: unknown): unknown => {
  const ref = (schema as { $ref?: string }).$ref;
  return ref ? doc.components?.schemas?.[ref.replace('#/components/schemas/', '')] : schema;
};

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1', () => {
    expect(doc.openapi).toBe('3.1.0');
  });

  it('lists every route the router mounts, and nothing else', () => {
    const router = express.Router();
    mountRoutes(router, table);
    const mounted = mountedRoutes(router)
      .map((r) => `${r.method} ${openApiPath(r.path)}`)
      .sort();
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`))
      .sort();
    expect(mounted.length).toBeGreaterThanOrEqual(15);
    expect(documented).toEqual(mounted);
    expect(documented).toContain('post /stations/{stationId}/intakes');
    expect(documented).toContain('get /openapi.json');
  });

  it.each(table.filter((r) => r.body).map((r) => [r.method, r.path, r] as const))(
    'describes the body of %s %s with the schema the route validates',
    (method, path, route) => {
      const op = doc.paths[openApiPath(path)]![method]!;
      const documented = resolve(op.requestBody!.content['application/json']!.schema);
      const alone = createSchema(route.body!, { io: 'input' });
      const ref = (alone.schema as { $ref?: string }).$ref?.replace('#/components/schemas/', '');
      const expected = ref ? (alone.components as Record<string, unknown>)[ref] : alone.schema;
      expect(expected).toMatchObject({ type: 'object', additionalProperties: false });
      expect(documented).toEqual(expected);
    },
  );

  it.each(table.filter((r) => r.params || r.query || r.headers).map((r) => [r.method, r.path, r] as const))(
    'names the path, query and header parameters of %s %s after the route schemas',
    (method, path, route) => {
      const op = doc.paths[openApiPath(path)]![method]!;
      const names = (op.parameters ?? []).map((p) => `${p.in}:${p.name}`).sort();
      const expected = [
        ...Object.keys(route.params?.shape ?? {}).map((n) => `path:${n}`),
        ...Object.keys(route.query?.shape ?? {}).map((n) => `query:${n}`),
        ...Object.keys(route.headers?.shape ?? {}).map((n) => `header:${n}`),
      ].sort();
      expect(names).toEqual(expected);
    },
  );

  it('documents the Idempotency-Key of every guarded route with the schema the guard validates', () => {
    const guarded = table.filter((r) => r.idempotency);
    expect(guarded.map((r) => `${r.method} ${r.path}`)).toContain('post /stations/:stationId/intakes');
    for (const route of guarded) {
      expect(route.headers).toBe(IntakeIdempotencyHeader);
      const op = doc.paths[openApiPath(route.path)]![route.method]! as unknown as {
        parameters: Array<{ name: string; in: string; required?: boolean; schema: unknown }>;
        responses: Record<string, unknown>;
      };
      const header = op.parameters.find((p) => p.in === 'header' && p.name === 'idempotency-key');
      expect(header).toBeDefined();
      expect(header!.required).toBeFalsy();
      const alone = createSchema(IntakeIdempotencyHeader.shape['idempotency-key'], { io: 'input' });
      expect(header!.schema).toEqual(alone.schema);
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['409', '422']));
    }
  });
});
