import { freeText, hasForbiddenCharacters, Label, Note } from '../src';

describe('free text', () => {
  const name = freeText({ max: 50 });

  it('keeps ordinary Chinese and English text, trimmed', () => {
    expect(name.parse('  王秀兰 ')).toBe('王秀兰');
    expect(name.parse('Ayigül Tursun')).toBe('Ayigül Tursun');
    expect(Note.parse('门口有台阶\n请带推车')).toBe('门口有台阶\n请带推车');
  });

  it.each([
    ['NUL', 'Wang\u0000Xiu'],
    ['a C1 control', 'Wang\u0085Xiu'],
    ['a right-to-left override', 'invoice\u202Egnp.exe'],
    ['a first-strong isolate', 'abc\u2068def'],
    ['a right-to-left mark', 'a\u200Fb'],
    ['a line break in a one-line field', '幸福路\n12号'],
  ])('refuses %s', (_what, text) => {
    const parsed = name.safeParse(text);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/control|bidirectional/);
  });

  it('is the rule of every note and label', () => {
    expect(Note.safeParse('ok\u0000').success).toBe(false);
    expect(Label.safeParse({ zh: '绿源\u202E站', en: 'Lvyuan' }).success).toBe(false);
    expect(hasForbiddenCharacters('tab\tinside', true)).toBe(false);
  });
});
