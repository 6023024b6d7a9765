import express from 'express';
import { mountedRoutes } from '@recycling/service-kit';
import { createSchema } from 'zod-openapi';
import type { z } from 'zod';
import type { AppContext } from '../src/app/context';
import { buildOpenApiDocument } from '../src/http/openapi';
import { openApiPath } from '../src/http/route-spec';
import { dismantlingRouter } from '../src/http/router';
import { dismantlingRoutes } from '../src/http/routes';

// The document is generated from the same route list the app mounts; these tests make sure that
// stays true: every mounted route is documented, and with the very schemas it validates with.

const service = dismantlingRouter({} as AppContext);
const routes = dismantlingRoutes({} as AppContext);
const document = buildOpenApiDocument(routes);

type Operation = {
  parameters?: Array<{ in: string; name: string; required?: boolean; schema: unknown }>;
  requestBody?: { content: Record<string, { schema: unknown }> };
};
const operation = (method: string, path: string) =>
  (document.paths?.[path] as Record<string, Operation> | undefined)?.[method];

/** Method and path of every route express actually has (express 5 router layers). */
const serviceRoutes = (): Array<{ method: string; path: string }> => {
  const router = express.Router();
  service.mount(router);
  return mountedRoutes(router);
};

it('is OpenAPI 3.1 and documents every mounted route', () => {
  expect(document.openapi).toBe('3.1.0');
  const mounted = serviceRoutes();
  expect(mounted).toHaveLength(routes.length + 1); // the routes and /openapi.json itself
  expect(mounted).toContainEqual({ method: 'get', path: '/openapi.json' });
  for (const { method, path } of mounted) {
    expect({ method, path, documented: operation(method, openApiPath(path)) !== undefined }).toEqual({
      method,
      path,
      documented: true,
    });
  }
  const documented = Object.entries(document.paths ?? {}).flatMap(([, ops]) => Object.keys(ops as object));
  expect(documented).toHaveLength(mounted.length);
});

it.each(routes.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))(
  '%s: the request schemas are the ones the route validates with',
  (_name, r) => {
    const op = operation(r.method, openApiPath(r.path))!;
    if (r.schemas.body) {
      const { schema, components } = createSchema(r.schemas.body, { io: 'input' });
      expect(op.requestBody?.content['application/json']?.schema).toEqual(schema);
      for (const [id, component] of Object.entries(components ?? {})) {
        expect(document.components?.schemas?.[id]).toEqual(component);
      }
    } else {
      expect(op.requestBody).toBeUndefined();
    }
    for (const [where, schema] of [
      ['path', r.schemas.params],
      ['query', r.schemas.query],
    ] as const) {
      const shape = (schema as z.ZodObject | undefined)?.shape ?? {};
      const documented = (op.parameters ?? []).filter((p) => p.in === where);
      expect(documented.map((p) => p.name).sort()).toEqual(Object.keys(shape).sort());
      for (const p of documented) {
        expect(p.schema).toEqual(createSchema(shape[p.name] as z.ZodType, { io: 'input' }).schema);
      }
    }
  },
);

it('names Chinese first in every summary', () => {
  for (const r of routes) expect(r.summary).toMatch(/^[\p{Script=Han}].* \/ [A-Z]/u);
});
