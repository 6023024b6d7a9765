// Requests generated from an OpenAPI 3.1 document with fast-check, and the check of an answer
// against the same document. No network here: api-fuzz.int.test.ts sends the requests.
//
// A request is made valid per its operation's schemas (path parameters, query, JSON body, the
// Idempotency-Key header), with real ids of the e2e network where a parameter or field of that name
// takes them, and then, half the time, mutated in one place: a wrong type, a required field left
// out, an extra field, a huge string, control characters (NUL, escape, bidi overrides, a lone
// surrogate), a number out of range, an odd date. The caller is a role the operation allows, with
// its own scope; sometimes another scope, another role or no token.
import { inlineSchemaRefs, type Role } from '@recycling/service-kit';
import type { Ajv2020 } from 'ajv/dist/2020';
import fc from 'fast-check';

/** A JSON schema as the documents render them (OpenAPI 3.1 = JSON Schema 2020-12). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Schema = Record<string, any>;

interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema: Schema;
}

interface Operation {
  operationId: string;
  'x-roles'?: string[];
  'x-idempotent'?: boolean;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

export interface ApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
}

/** One operation of a service's document, its schemas inlined. */
export interface FuzzOperation {
  service: string;
  method: string;
  path: string;
  operationId: string;
  /** Roles of x-roles; empty for a public operation. */
  roles: Role[];
  idempotent: boolean;
  pathParams: Parameter[];
  queryParams: Parameter[];
  body?: Schema;
  responses: Operation['responses'];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export function operationsOf(service: string, doc: ApiDocument): FuzzOperation[] {
  const inline = <T>(node: T): T => inlineSchemaRefs(node, doc.components?.schemas ?? {}) as T;
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, raw]) => {
        const op = inline(raw);
        const params = op.parameters ?? [];
        return {
          service,
          method: method.toUpperCase(),
          path,
          operationId: op.operationId,
          roles: (op['x-roles'] ?? []) as Role[],
          idempotent: op['x-idempotent'] === true,
          pathParams: params.filter((p) => p.in === 'path'),
          queryParams: params.filter((p) => p.in === 'query'),
          body: op.requestBody?.content['application/json']?.schema,
          responses: op.responses,
        };
      }),
  );
}

// ---------------------------------------------------------------------------------------------
// Values valid per schema

/** Known-good values by field or parameter name (real ids of the network, the e2e district…). */
export type Hints = Record<string, readonly string[]>;

export interface Generator {
  ajv: Ajv2020;
  hints: Hints;
}

const MAX_GENERATED_STRING = 40;
const isObjectSchema = (s: Schema) => s.type === 'object' || s.properties !== undefined;

function typesOf(s: Schema): string[] {
  if (Array.isArray(s.type)) return s.type as string[];
  if (typeof s.type === 'string') return [s.type];
  return [];
}

const compiled = new WeakMap<Schema, (v: unknown) => boolean>();
function validator(g: Generator, schema: Schema): (v: unknown) => boolean {
  let v = compiled.get(schema);
  if (!v) {
    const check = g.ajv.compile(schema);
    v = (value: unknown) => check(value) === true;
    compiled.set(schema, v);
  }
  return v;
}

function stringArb(s: Schema): fc.Arbitrary<string> {
  const minLength = (s.minLength as number | undefined) ?? 0;
  const maxLength = Math.min((s.maxLength as number | undefined) ?? MAX_GENERATED_STRING, 200);
  const fits = (v: string) => [...v].length >= minLength && [...v].length <= (s.maxLength ?? Infinity);
  if (s.format === 'date' || s.format === 'date-time') {
    const dates = fc
      .date({
        min: new Date('2000-01-01T00:00:00Z'),
        max: new Date('2035-12-31T23:59:59Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString());
    return s.format === 'date' ? dates.map((d) => d.slice(0, 10)) : dates;
  }
  if (typeof s.pattern === 'string') {
    let matching: fc.Arbitrary<string>;
    try {
      matching = fc.stringMatching(new RegExp(s.pattern as string, 'u'));
    } catch {
      matching = fc.string({ minLength, maxLength });
    }
    return matching.filter(fits);
  }
  if (s.format === 'email') return fc.emailAddress();
  if (s.format === 'uri' || s.format === 'url') return fc.webUrl();
  if (s.format === 'uuid') return fc.uuid();
  return fc.string({ minLength, maxLength, unit: fc.constantFrom('a', 'Z', '0', ' ', '-', '回', '收', 'é') });
}

function numberArb(s: Schema, integer: boolean): fc.Arbitrary<number> {
  const lo = (s.minimum as number | undefined) ?? (s.exclusiveMinimum as number | undefined) ?? -1e9;
  const hi = (s.maximum as number | undefined) ?? (s.exclusiveMaximum as number | undefined) ?? 1e9;
  const min = Math.max(lo, -Number.MAX_SAFE_INTEGER);
  const max = Math.min(hi, Number.MAX_SAFE_INTEGER);
  const arb = integer
    ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
    : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
  return arb.filter(
    (n) =>
      (s.exclusiveMinimum === undefined || n > s.exclusiveMinimum) &&
      (s.exclusiveMaximum === undefined || n < s.exclusiveMaximum),
  );
}

function objectArb(g: Generator, s: Schema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = (s.properties ?? {}) as Record<string, Schema>;
  const required = new Set((s.required ?? []) as string[]);
  const names = Object.keys(properties);
  if (names.length === 0) {
    // A map (propertyNames and additionalProperties), or an object without a shape.
    const values =
      s.additionalProperties && typeof s.additionalProperties === 'object'
        ? valueArb(g, s.additionalProperties as Schema, undefined, depth + 1)
        : fc.constant('x');
    const keys = s.propertyNames ? stringArb(s.propertyNames as Schema) : fc.constantFrom('a', 'b');
    return fc.dictionary(keys, values, { maxKeys: 3 });
  }
  const model = Object.fromEntries(names.map((n) => [n, valueArb(g, properties[n]!, n, depth + 1)]));
  return fc.record(model, { requiredKeys: names.filter((n) => required.has(n)) }) as fc.Arbitrary<
    Record<string, unknown>
  >;
}

/** Values valid per the schema (as far as JSON Schema says: a zod refinement may still refuse them). */
export function valueArb(g: Generator, s: Schema, name?: string, depth = 0): fc.Arbitrary<unknown> {
  const base = schemaArb(g, s, depth);
  const hinted = name ? (g.hints[name] ?? []).filter(validator(g, s)) : [];
  return hinted.length > 0
    ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...hinted) }, { weight: 1, arbitrary: base })
    : base;
}

function schemaArb(g: Generator, s: Schema, depth: number): fc.Arbitrary<unknown> {
  if (s.const !== undefined) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  const alternatives = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (alternatives) return fc.oneof(...alternatives.map((a) => valueArb(g, a, undefined, depth)));
  if (Array.isArray(s.allOf))
    return valueArb(g, Object.assign({}, ...(s.allOf as Schema[])), undefined, depth);
  const types = typesOf(s);
  if (types.length > 1) return fc.oneof(...types.map((type) => schemaArb(g, { ...s, type }, depth)));
  switch (types[0]) {
    case 'string':
      return stringArb(s);
    case 'integer':
      return numberArb(s, true);
    case 'number':
      return numberArb(s, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = (s.minItems as number | undefined) ?? 0;
      const maxLength = Math.min((s.maxItems as number | undefined) ?? minLength + 3, minLength + 3);
      if (depth > 6) return fc.constant([]);
      return fc.array(valueArb(g, (s.items ?? {}) as Schema, undefined, depth + 1), { minLength, maxLength });
    }
    default:
      if (isObjectSchema(s)) return depth > 6 ? fc.constant({}) : objectArb(g, s, depth);
      return fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean());
  }
}

// ---------------------------------------------------------------------------------------------
// Mutations: one odd thing in an otherwise valid request

/** Control characters, bidi overrides, a lone surrogate, injection-looking text. */
export const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  'x\u0007\u0008\u001b[31m',
  'line\r\nbreak',
  '\u202eevil\u202c',
  '\u2066isolate\u2069',
  '\u200b\u200d\ufeff',
  '\ud800',
  '\udfff\ud800',
  '𠀀𠜎𪚲',
  '１２３',
  '../../etc/passwd',
  '%00%2e%2e',
  "' or 1=1 --",
  '<script>alert(1)</script>',
  '{"$gt":""}',
  'NaN',
  'null',
  '-1',
  '1e309',
] as const;

export const ODD_NUMBERS = [
  -1,
  0,
  -0.5,
  0.5,
  1e-7,
  2 ** 31,
  2 ** 53 + 2,
  -(2 ** 53) - 2,
  1e308,
  -1e308,
] as const;

export const ODD_DATES = [
  '2024-02-30',
  '2023-02-29',
  '0000-01-01',
  '9999-12-31',
  '1970-01-01',
  '1900-01-01',
  '2024-13-01',
  '2024-00-10',
  '2024-1-1',
  '20240101',
  '2024-06-01T24:00:00Z',
  '2024-06-01T00:00:00+08:00',
  '2024-06-01T00:00:00.123456789Z',
  '+275760-09-13T00:00:00.000Z',
  '-000001-01-01',
  '2099-01',
  '0000-00',
] as const;

export const WRONG_TYPES = [42, -1.5, true, null, [], ['a', 1], {}, { a: 1 }, 'text'] as const;

const HUGE_LENGTHS = [300, 5_000, 70_000, 300_000] as const;

export type MutationKind = 'wrong-type' | 'drop' | 'extra' | 'huge' | 'control' | 'number' | 'date';
const KINDS: MutationKind[] = ['wrong-type', 'drop', 'extra', 'huge', 'control', 'number', 'date'];

/** Where and what: `at` picks a node (modulo the nodes there are), `pick` one of the odd values. */
export interface Mutation {
  where: 'path' | 'query' | 'body' | 'header';
  kind: MutationKind;
  at: number;
  pick: number;
}

export const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  where: fc.constantFrom('body', 'query', 'path', 'header'),
  kind: fc.constantFrom(...KINDS),
  at: fc.nat({ max: 1_000 }),
  pick: fc.nat({ max: 1_000 }),
});

const nth = <T>(list: readonly T[], n: number): T => list[n % list.length]!;

/** An odd value of the kind; `room` bounds huge strings (a URL must stay under node's header limit). */
function oddValue(kind: MutationKind, pick: number, room: number): unknown {
  switch (kind) {
    case 'wrong-type':
      return nth(WRONG_TYPES, pick);
    case 'huge': {
      const length = Math.min(nth(HUGE_LENGTHS, pick), room);
      return nth(['x', '回', '\u0000', '\u202e'], pick >> 2).repeat(length);
    }
    case 'control':
      return nth(ODD_STRINGS, pick);
    case 'number':
      return nth(ODD_NUMBERS, pick);
    case 'date':
      return nth(ODD_DATES, pick);
    default:
      return nth(ODD_STRINGS, pick);
  }
}

type Json = unknown;
type Step = string | number;

/** Every node of a JSON value, as paths from the root ([] is the root). */
function nodesOf(value: Json, at: Step[] = []): Step[][] {
  const out: Step[][] = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...nodesOf(v, [...at, i])));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) out.push(...nodesOf(v, [...at, k]));
  }
  return out;
}

function getAt(value: Json, path: Step[]): Json {
  return path.reduce<Json>((v, k) => (v as Record<Step, Json>)[k], value);
}

function setAt(value: Json, path: Step[], next: Json | typeof DROP): Json {
  if (path.length === 0) return next === DROP ? undefined : next;
  const copy = structuredClone(value) as Record<Step, Json>;
  const parent = getAt(copy, path.slice(0, -1)) as Record<Step, Json> | Json[];
  const key = path[path.length - 1]!;
  if (next === DROP) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete (parent as Record<Step, Json>)[key];
  } else (parent as Record<Step, Json>)[key] = next;
  return copy;
}
const DROP = Symbol('drop');

const EXTRA_KEYS = ['extra', 'isAdmin', 'x'.repeat(300), 'ключ', '\u0000', 'constructor', '$where', 'a.b'];

export interface FuzzRequest {
  /** The caller: a role of x-roles with its scope, another scope, another role, or none. */
  caller: { role?: Role; scope: 'own' | 'other' };
  params: Record<string, string>;
  query: Array<[string, string]>;
  body?: Json;
  idempotencyKey?: string;
  /** What was made odd, in words (absent: a request valid per the document). */
  mutated?: string;
}

const describeStep = (path: Step[]) => (path.length === 0 ? '(the whole body)' : path.join('.'));

/** Applies one mutation to a valid request. */
export function mutate(op: FuzzOperation, valid: FuzzRequest, m: Mutation): FuzzRequest {
  const r: FuzzRequest = {
    ...valid,
    params: { ...valid.params },
    query: [...valid.query],
  };
  const where =
    m.where === 'body' && op.body === undefined ? (op.queryParams.length > 0 ? 'query' : 'path') : m.where;
  if (where === 'body') {
    const nodes = nodesOf(r.body);
    if (m.kind === 'extra') {
      const objects = nodes.filter((p) => {
        const v = getAt(r.body, p);
        return v && typeof v === 'object' && !Array.isArray(v);
      });
      if (objects.length === 0) return { ...r, body: [r.body], mutated: 'body wrapped in an array' };
      const at = nth(objects, m.at);
      const key = nth(EXTRA_KEYS, m.pick);
      r.body = setAt(r.body, [...at, key], oddValue('control', m.pick >> 3, 1_000));
      r.mutated = `extra field ${JSON.stringify(key)} in ${describeStep(at)}`;
      return r;
    }
    if (m.kind === 'drop') {
      const fields = nodes.filter((p) => p.length > 0);
      if (fields.length === 0) return { ...r, body: {}, mutated: 'empty body object' };
      const at = nth(fields, m.at);
      r.body = setAt(r.body, at, DROP);
      r.mutated = `body field ${describeStep(at)} left out`;
      return r;
    }
    const at = nth(nodes, m.at);
    r.body = setAt(r.body, at, oddValue(m.kind, m.pick, 400_000));
    r.mutated = `${m.kind} at body ${describeStep(at)}`;
    return r;
  }
  if (where === 'query') {
    if (m.kind === 'extra' || (r.query.length === 0 && m.kind !== 'drop')) {
      const key = nth(['extra', 'limit', 'cursor', 'page', 'x'.repeat(200), 'ключ', 'a[b]'], m.at);
      r.query.push([key, String(oddValue(m.kind === 'extra' ? 'control' : m.kind, m.pick, 1_000))]);
      r.mutated = `extra query parameter ${JSON.stringify(key)}`;
      return r;
    }
    if (m.kind === 'drop') {
      const required = op.queryParams.filter((p) => p.required).map((p) => p.name);
      if (required.length === 0) return { ...r, mutated: undefined };
      const name = nth(required, m.at);
      r.query = r.query.filter(([k]) => k !== name);
      r.mutated = `required query parameter ${name} left out`;
      return r;
    }
    const i = m.at % r.query.length;
    const [name] = r.query[i]!;
    if (m.kind === 'wrong-type' && m.pick % 2 === 0) {
      // A repeated parameter: express's query parser makes it an array.
      r.query.push([name, r.query[i]![1]]);
      r.mutated = `query parameter ${name} repeated`;
      return r;
    }
    const value = oddValue(m.kind, m.pick, 1_000);
    r.query[i] = [name, typeof value === 'string' ? value : JSON.stringify(value)];
    r.mutated = `${m.kind} in query parameter ${name}`;
    return r;
  }
  if (where === 'header' && op.idempotent) {
    const value = oddValue(m.kind === 'drop' || m.kind === 'extra' ? 'control' : m.kind, m.pick, 2_000);
    // A header value is tab, space, visible ASCII and bytes 0x80-0xff (fetch refuses to send
    // anything else): the rest becomes `?`.
    r.idempotencyKey = (typeof value === 'string' ? value : JSON.stringify(value)).replace(
      /[^\t\x20-\x7e\x80-\xff]/g,
      '?',
    );
    r.mutated = `${m.kind} Idempotency-Key`;
    return r;
  }
  if (op.pathParams.length === 0) return { ...r, mutated: undefined };
  const name = nth(op.pathParams, m.at).name;
  const value = oddValue(m.kind === 'drop' || m.kind === 'extra' ? 'control' : m.kind, m.pick, 1_000);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  // An empty segment would be another route (404 from the router): a lone space instead.
  r.params[name] = text === '' ? ' ' : text;
  r.mutated = `${m.kind} in path parameter ${name}`;
  return r;
}

/** A request valid per the operation's document, then mutated about half the time. */
export function requestArb(
  g: Generator,
  op: FuzzOperation,
  allRoles: readonly Role[],
): fc.Arbitrary<FuzzRequest> {
  const others = allRoles.filter((r) => !op.roles.includes(r));
  const callers: Array<fc.WeightedArbitrary<FuzzRequest['caller']>> =
    op.roles.length === 0
      ? [{ weight: 1, arbitrary: fc.constant({ scope: 'own' as const }) }]
      : [
          {
            weight: 12,
            arbitrary: fc.constantFrom(...op.roles).map((role) => ({ role, scope: 'own' as const })),
          },
          {
            weight: 2,
            arbitrary: fc.constantFrom(...op.roles).map((role) => ({ role, scope: 'other' as const })),
          },
          ...(others.length > 0
            ? [
                {
                  weight: 1,
                  arbitrary: fc.constantFrom(...others).map((role) => ({ role, scope: 'own' as const })),
                },
              ]
            : []),
          { weight: 1, arbitrary: fc.constant({ scope: 'own' as const }) },
        ];
  const params = fc.record(
    Object.fromEntries(
      op.pathParams.map((p) => [
        p.name,
        valueArb(g, p.schema, p.name).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))),
      ]),
    ),
  ) as fc.Arbitrary<Record<string, string>>;
  const query = fc
    .record(Object.fromEntries(op.queryParams.map((p) => [p.name, valueArb(g, p.schema, p.name)])), {
      requiredKeys: op.queryParams.filter((p) => p.required).map((p) => p.name),
    })
    .map((q) =>
      Object.entries(q).flatMap(([k, v]): Array<[string, string]> =>
        Array.isArray(v)
          ? v.map((x) => [k, String(x)])
          : [[k, typeof v === 'string' ? v : JSON.stringify(v)]],
      ),
    );
  const body = op.body ? valueArb(g, op.body) : fc.constant(undefined);
  const key = op.idempotent
    ? fc.option(fc.stringMatching(/^[A-Za-z0-9._:-]{8,40}$/), { nil: undefined, freq: 4 })
    : fc.constant(undefined);
  const valid = fc.record({ caller: fc.oneof(...callers), params, query, body, idempotencyKey: key });
  return fc.tuple(valid, fc.option(mutationArb, { nil: undefined, freq: 2 })).map(([request, mutation]) => {
    const clean = { ...request, body: request.body } as FuzzRequest;
    if (op.body === undefined) delete clean.body;
    if (clean.idempotencyKey === undefined) delete clean.idempotencyKey;
    return mutation ? mutate(op, clean, mutation) : clean;
  });
}

// ---------------------------------------------------------------------------------------------
// Answers against the document

export interface Answer {
  status: number;
  contentType: string;
  text: string;
  body: unknown;
}

const JSON_TYPES = /^application\/(.+\+)?json$/;

/** What in an answer breaks the operation's document: a 5xx, an undocumented status, type or body. */
export function violationsOf(ajv: Ajv2020, op: FuzzOperation, answer: Answer): string[] {
  const out: string[] = [];
  if (answer.status >= 500) out.push(`server error ${answer.status}`);
  const documented = op.responses[String(answer.status)];
  if (!documented) {
    out.push(
      `status ${answer.status} is not documented (documented: ${Object.keys(op.responses).join(', ')})`,
    );
    return out;
  }
  const type = answer.contentType.split(';')[0]!.trim().toLowerCase();
  const content = documented.content;
  if (!content) {
    if (answer.text.length > 0)
      out.push(`${answer.status} is documented without a body; got ${type || 'a body'}`);
    return out;
  }
  const media = content[type] ?? content['*/*'];
  if (!media) {
    out.push(
      `${answer.status} answered ${type || 'no content type'}; documented: ${Object.keys(content).join(', ')}`,
    );
    return out;
  }
  if (!media.schema) return out;
  if (JSON_TYPES.test(type)) {
    if (typeof answer.body === 'string' && answer.text.length > 0 && !answer.text.startsWith('"')) {
      out.push(`${answer.status} ${type} is not JSON`);
      return out;
    }
    const check = schemaValidator(ajv, media.schema);
    if (!check(answer.body)) {
      const errors = (check.errors ?? [])
        .slice(0, 5)
        .map(
          (e) =>
            `${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}, was ${printable(
              JSON.stringify(pointerGet(answer.body, e.instancePath)) ?? 'absent',
              300,
            )}`,
        );
      out.push(`${answer.status} body breaks its schema: ${errors.join('; ')}`);
    }
    if (type === 'application/problem+json') {
      const status = (answer.body as { status?: unknown } | null)?.status;
      if (status !== answer.status)
        out.push(`problem status ${String(status)} is not the HTTP status ${answer.status}`);
    }
  } else if (media.schema.type !== 'string') {
    out.push(`${answer.status} ${type} is documented with a ${String(media.schema.type)} schema`);
  }
  return out;
}

/** The value at a JSON pointer (`/received/0/units`). */
function pointerGet(value: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>(
      (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
      value,
    );
}

const validators = new WeakMap<Schema, ReturnType<Ajv2020['compile']>>();
function schemaValidator(ajv: Ajv2020, schema: Schema) {
  let v = validators.get(schema);
  if (!v) {
    v = ajv.compile(schema);
    validators.set(schema, v);
  }
  return v;
}

// ---------------------------------------------------------------------------------------------
// Printing

/** A string with every control, format and surrogate character written as \u escapes, long ones cut. */
export function printable(value: string, max = 200): string {
  const cut = value.length > max ? `${value.slice(0, max)}…(${value.length} chars)` : value;
  return cut.replace(
    /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** The body as JSON with long strings cut and invisible characters escaped. */
export function printableJson(value: unknown): string {
  const text = JSON.stringify(
    value,
    (_k, v: unknown) =>
      typeof v === 'string' && v.length > 120 ? `${v.slice(0, 120)}…(${v.length} chars)` : v,
    2,
  );
  return text === undefined ? '(none)' : printable(text, 4_000);
}

/**
 * Percent-encoding of any string: a lone surrogate (which encodeURIComponent refuses) is sent as its
 * three WTF-8 bytes, %ED%A0%80 for \ud800, the malformed UTF-8 a hostile client can send.
 */
export function percentEncode(value: string): string {
  return value.replace(/[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]|[^\ud800-\udfff]+/g, (part) => {
    if (part.length !== 1 || part < '\ud800' || part > '\udfff') return encodeURIComponent(part);
    const c = part.charCodeAt(0);
    return [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)]
      .map((b) => `%${b.toString(16).toUpperCase()}`)
      .join('');
  });
}

/** The path with its parameters and the query string, as the test sends it. */
export function urlOf(op: FuzzOperation, r: FuzzRequest): string {
  const path = op.path.replace(/\{([A-Za-z0-9_]+)\}/g, (_m, name: string) =>
    percentEncode(r.params[name] ?? `x-${name}`),
  );
  const query = r.query.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');
  return query ? `${path}?${query}` : path;
}
