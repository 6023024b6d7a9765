import {
  DomainError,
  type ApplianceCategory,
  type IntakeContents,
  type IntakeLine,
} from '@recycling/contracts';

// How the desk's lines become an intake's contents: weights the scale did not give come from the
// city profile's default weight per category (marked estimated), line ids are stable across
// revisions so that sorting and dispatch can refer to them.

export interface LineInput {
  lineId?: string;
  category: ApplianceCategory;
  units: number;
  weightGrams?: number;
  condition: IntakeLine['condition'];
  priceFen: number;
}

export type DefaultWeights = Readonly<Record<ApplianceCategory, number>>;

const lineNumber = (lineId: string): number => {
  const m = /^l(\d+)$/.exec(lineId);
  return m ? Number(m[1]) : 0;
};

/** The next free line id after every id an intake ever used (withdrawn lines keep theirs). */
export const nextLineNumber = (everUsed: readonly string[]): number =>
  everUsed.reduce((max, id) => Math.max(max, lineNumber(id)), 0) + 1;

export const toIntakeLine = (input: LineInput, lineId: string, defaults: DefaultWeights): IntakeLine => {
  const weighed = input.weightGrams !== undefined;
  return {
    lineId,
    category: input.category,
    units: input.units,
    weightGrams: weighed ? input.weightGrams! : defaults[input.category] * input.units,
    weightEstimated: !weighed,
    condition: input.condition,
    priceFen: input.priceFen,
  };
};

export const contentsOf = (lines: IntakeLine[]): IntakeContents => ({
  lines,
  totalFen: lines.reduce((s, l) => s + l.priceFen, 0),
  totalWeightGrams: lines.reduce((s, l) => s + l.weightGrams, 0),
});

/** Lines of a first recording: numbered l1, l2, ... */
export const newContents = (inputs: readonly LineInput[], defaults: DefaultWeights): IntakeContents =>
  contentsOf(inputs.map((l, i) => toIntakeLine(l, `l${i + 1}`, defaults)));

/**
 * Lines of a correction: a line that names a current lineId restates it, a line without one is new.
 * `everUsed` keeps numbers of withdrawn lines from being reused, so an old lineId never changes meaning.
 */
export const correctedContents = (
  inputs: readonly LineInput[],
  current: IntakeContents,
  everUsed: readonly string[],
  defaults: DefaultWeights,
): IntakeContents => {
  const known = new Set(current.lines.map((l) => l.lineId));
  const seen = new Set<string>();
  let next = nextLineNumber(everUsed);
  const lines = inputs.map((input, i) => {
    if (input.lineId === undefined) return toIntakeLine(input, `l${next++}`, defaults);
    if (!known.has(input.lineId)) {
      throw DomainError.invalid(
        'line-not-in-revision',
        `lines.${i}.lineId`,
        `该明细不在当前版本中 / Line ${input.lineId} is not in the current revision`,
      );
    }
    if (seen.has(input.lineId)) {
      throw DomainError.invalid(
        'line-repeated',
        `lines.${i}.lineId`,
        `明细重复 / Line ${input.lineId} appears twice`,
      );
    }
    seen.add(input.lineId);
    return toIntakeLine(input, input.lineId, defaults);
  });
  return contentsOf(lines);
};

const lineKey = (l: IntakeLine) =>
  [l.lineId, l.category, l.units, l.weightGrams, l.weightEstimated, l.condition, l.priceFen].join('|');

export const sameContents = (a: IntakeContents, b: IntakeContents): boolean =>
  a.lines.length === b.lines.length && a.lines.every((l, i) => lineKey(l) === lineKey(b.lines[i]!));
