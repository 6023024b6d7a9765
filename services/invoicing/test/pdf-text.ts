import { inflateSync } from 'node:zlib';

// The text of a PDF as pdfkit writes it (CID fonts, Identity-H, a ToUnicode map), enough for a test
// to read what a page says: glyph ids in the content streams' hex strings, mapped back to Unicode
// through the fonts' ToUnicode CMaps. Not a general PDF parser.

function streams(pdf: Buffer): string[] {
  const out: string[] = [];
  let at = 0;
  for (;;) {
    const start = pdf.indexOf('stream', at, 'latin1');
    if (start < 0) break;
    const begin = start + (pdf[start + 6] === 0x0d ? 8 : 7);
    const end = pdf.indexOf('endstream', begin, 'latin1');
    if (end < 0) break;
    const raw = pdf.subarray(begin, end);
    try {
      out.push(inflateSync(raw).toString('latin1'));
    } catch {
      out.push(raw.toString('latin1'));
    }
    at = end + 9;
  }
  return out;
}

const hexToText = (hex: string): string =>
  String.fromCodePoint(...(hex.match(/.{4}/g) ?? []).map((h) => parseInt(h, 16)));

function toUnicode(cmaps: string[]): Map<number, string> {
  const map = new Map<number, string>();
  for (const cmap of cmaps) {
    for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
      for (const m of block[1]!.matchAll(
        /<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g,
      )) {
        const from = parseInt(m[1]!, 16);
        const to = parseInt(m[2]!, 16);
        const targets = m[3]!.startsWith('[')
          ? [...m[3]!.matchAll(/<([0-9a-fA-F]+)>/g)].map((t) => t[1]!)
          : [];
        for (let g = from; g <= to; g += 1) {
          if (targets.length > 0) map.set(g, hexToText(targets[g - from] ?? ''));
          else map.set(g, String.fromCodePoint(parseInt(m[3]!.slice(1, -1), 16) + (g - from)));
        }
      }
    }
    for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
      for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) {
        map.set(parseInt(m[1]!, 16), hexToText(m[2]!));
      }
    }
  }
  return map;
}

/** The text shown on the PDF's pages, in drawing order, without spaces between pieces. */
export function pdfText(pdf: Buffer): string {
  const all = streams(pdf);
  const glyphs = toUnicode(all.filter((s) => s.includes('begincmap')));
  return all
    .filter((s) => /\bT[Jj]\b/.test(s) && !s.includes('begincmap'))
    .map((content) =>
      [...content.matchAll(/<([0-9a-fA-F]*)>/g)]
        .map((m) => (m[1]!.match(/.{4}/g) ?? []).map((g) => glyphs.get(parseInt(g, 16)) ?? '').join(''))
        .join(''),
    )
    .join('\n');
}
