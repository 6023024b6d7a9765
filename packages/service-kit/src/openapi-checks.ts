// What each service's OpenAPI test compares: the routes express really serves, and schemas with
// their `$ref`s inlined, so that a document naming components compares by content.

/** Method (lower case) and path of every route on an express app or router, mounted routers included. */
export function mountedRoutes(appOrRouter: unknown): Array<{ method: string; path: string }> {
  const found: Array<{ method: string; path: string }> = [];
  const walk = (stack: unknown[]) => {
    for (const layer of stack as Array<{
      route?: { path: string; methods: Record<string, boolean> };
      handle?: { stack?: unknown[] };
    }>) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) found.push({ method, path: layer.route.path });
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  const target = appOrRouter as { router?: { stack: unknown[] }; stack?: unknown[] };
  walk(target.router?.stack ?? target.stack ?? []);
  return found;
}

/** Inlines every `#/components/schemas/` reference (a recursive one becomes `{ recursive: name }`). */
export function inlineSchemaRefs(
  node: unknown,
  components: Record<string, unknown> = {},
  seen: string[] = [],
): unknown {
  if (Array.isArray(node)) return node.map((n) => inlineSchemaRefs(n, components, seen));
  if (!node || typeof node !== 'object') return node;
  const ref = (node as { $ref?: string }).$ref;
  if (ref?.startsWith('#/components/schemas/')) {
    const name = ref.slice('#/components/schemas/'.length);
    if (seen.includes(name)) return { recursive: name };
    return inlineSchemaRefs(components[name], components, [...seen, name]);
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, inlineSchemaRefs(v, components, seen)]));
}
