// The layers of a service are held by eslint (eslint.config.mjs): these are the rules themselves,
// run on small sources placed, by name, in each layer of a service. Node's test runner, because
// ESLint loads its config with a dynamic import, which jest's module sandbox refuses.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const root = path.resolve(__dirname, '../..');
const eslint = new ESLint({ cwd: root });

/** The layer-rule messages eslint gives `code` placed at `file`. */
async function violations(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((m) => m.message);
}

const importing = (what: string, from: string, typeOnly = false) =>
  `import ${typeOnly ? 'type ' : ''}{ ${what} } from '${from}';\nexport ${typeOnly ? 'type' : 'const'} x = ${what};\n`;

const DOMAIN = 'services/pickup/src/domain/example-rule.ts';
const APP = 'services/pickup/src/app/example-use-case.ts';
const HTTP = 'services/pickup/src/http/example-endpoints.ts';

describe('the layers of a service', () => {
  it('refuses a domain rule that imports mongoose', async () => {
    const found = await violations(DOMAIN, "import mongoose from 'mongoose';\nexport const m = mongoose;\n");
    assert.equal(found.length, 1);
    assert.match(found[0]!, /domain\/ holds pure rules/);
  });

  it('refuses a domain rule that imports the kit, the store, another layer or node I/O', async () => {
    for (const [what, from] of [
      ['HttpProblem', '@recycling/service-kit'],
      ['claim', '@recycling/store'],
      ['pickupNotFound', '../store/pickup-repository'],
      ['readFileSync', 'node:fs'],
    ] as const) {
      assert.equal((await violations(DOMAIN, importing(what, from))).length, 1, `${what} from ${from}`);
    }
  });

  it('lets a domain rule use contracts and hashing', async () => {
    assert.deepEqual(await violations(DOMAIN, importing('DomainError', '@recycling/contracts')), []);
    assert.deepEqual(await violations(DOMAIN, importing('createHash', 'node:crypto')), []);
  });

  it('keeps use cases off models and HTTP; repositories and document types are fine', async () => {
    assert.equal((await violations(APP, importing('registerModels', '../store/models'))).length, 1);
    assert.equal((await violations(APP, importing('HttpProblem', '@recycling/service-kit'))).length, 1);
    assert.deepEqual(await violations(APP, importing('PickupDoc', '../store/models', true)), []);
    assert.deepEqual(await violations(APP, importing('PickupRepository', '../store/pickup-repository')), []);
  });

  it('keeps HTTP declarations off mongoose and the store', async () => {
    assert.equal((await violations(HTTP, importing('model', 'mongoose'))).length, 1);
    assert.equal((await violations(HTTP, importing('registerModels', '../store/models'))).length, 1);
  });
});
