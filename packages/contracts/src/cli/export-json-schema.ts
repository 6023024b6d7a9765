import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Dirent } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { buildJsonSchemas } from '../json-schema/build-json-schemas';

// `pnpm --filter @recycling/contracts schemas`: rewrites packages/contracts/schemas from the zod
// schemas, deleting files of event types that no longer exist so the folder is exactly the contract.

const SCHEMAS_DIR = resolve(__dirname, '../../schemas');

const listJsonFiles = (dir: string): string[] => {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return listJsonFiles(path);
    return e.name.endsWith('.json') ? [path] : [];
  });
};

const main = (): void => {
  const files = buildJsonSchemas();
  for (const existing of listJsonFiles(SCHEMAS_DIR)) {
    if (!files.has(relative(SCHEMAS_DIR, existing))) rmSync(existing);
  }
  for (const [path, text] of files) {
    const target = join(SCHEMAS_DIR, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  console.log(`wrote ${files.size} schema files to ${relative(process.cwd(), SCHEMAS_DIR) || '.'}`);
};

main();
