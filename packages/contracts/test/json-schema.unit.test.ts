import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { EVENT_TYPES } from '../src';
import { buildJsonSchemas, eventSchemaPath } from '../src/json-schema/build-json-schemas';

const SCHEMAS_DIR = resolve(__dirname, '../schemas');
const HOW_TO_FIX =
  'JSON Schemas are out of date: run `pnpm --filter @recycling/contracts schemas` and commit';

const committedFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? committedFiles(join(dir, e.name))
      : e.name.endsWith('.json')
        ? [relative(SCHEMAS_DIR, join(dir, e.name))]
        : [],
  );

describe('committed JSON Schemas', () => {
  const generated = buildJsonSchemas();

  it('are exactly the generated files', () => {
    const committed = committedFiles(SCHEMAS_DIR).sort();
    if (committed.join('\n') !== [...generated.keys()].sort().join('\n')) throw new Error(HOW_TO_FIX);
    for (const [path, text] of generated) {
      if (readFileSync(join(SCHEMAS_DIR, path), 'utf8') !== text) throw new Error(`${HOW_TO_FIX} (${path})`);
    }
  });

  it('exist for every event type, as draft 2020-12 with an id, a title and a description', () => {
    for (const type of EVENT_TYPES) {
      const schema = JSON.parse(generated.get(eventSchemaPath(type)) ?? '{}');
      expect(schema).toMatchObject({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $id: `urn:recycling:schema:event:${type}`,
        title: type,
        description: expect.stringContaining(type),
      });
    }
  });

  it('leave event objects open to optional fields added later', () => {
    for (const type of EVENT_TYPES) {
      expect(generated.get(eventSchemaPath(type))).not.toContain('"additionalProperties": false');
    }
  });
});
