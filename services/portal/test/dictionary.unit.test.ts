import fs from 'node:fs';
import path from 'node:path';
import { dictionary, translate, translateDynamic } from '../web/src/lib/dictionary';

const WEB_SRC = path.resolve(__dirname, '..', 'web', 'src');
const sources = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : /\.tsx?$/.test(e.name) ? [p] : [];
  });

describe('the dictionary', () => {
  it('has Chinese and English for every entry, Chinese first', () => {
    for (const [key, [zh, en]] of Object.entries(dictionary)) {
      expect({ key, zh: zh.trim().length > 0, en: en.trim().length > 0 }).toEqual({
        key,
        zh: true,
        en: true,
      });
    }
    // The Chinese side is Chinese: a swapped pair would show English to Chinese readers.
    expect(/\p{Script=Han}/u.test(translate('zh', 'book'))).toBe(true);
    expect(/\p{Script=Han}/u.test(translate('en', 'book'))).toBe(false);
  });

  it('holds every key the pages ask for', () => {
    const used = new Set<string>();
    for (const file of sources(WEB_SRC)) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([^']+)'\s*\)/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(50);
    const missing = [...used].filter((k) => !(k in dictionary));
    expect(missing).toEqual([]);
  });

  it('falls back to the given text for keys made at run time', () => {
    expect(translateDynamic('zh', 'role.resident', 'resident')).toBe('居民');
    expect(translateDynamic('en', 'zod.no_such_code', 'Too odd')).toBe('Too odd');
  });
});
