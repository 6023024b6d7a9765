import { z } from 'zod';
import { validateVin } from './vin';

// The building blocks every event uses, so that "money", "weight" and "time" mean the same thing on
// every topic (docs/conventions.md).

/** Identifiers of our own records: opaque, URL- and key-safe, short enough to be a Kafka key. */
export const Id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits, and . _ : - only');

/** Money: integer fen, never floating yuan, so sums are exact. */
export const Fen = z.int().min(0).describe('Amount in fen (1/100 yuan), integer');
/** Signed money, only where a reversal must be negative. */
export const SignedFen = z.int().describe('Amount in fen (1/100 yuan), integer, negative on reversals');

export const Grams = z.int().min(0).describe('Weight in grams, integer');
export const PositiveGrams = z.int().min(1).describe('Weight in grams, integer, > 0');

/** A count of physical things (appliance units, vehicles). */
export const Units = z.int().min(1);

// What a person types is bounded far above any real case and far below where sums stop being exact
// integers in JavaScript (2^53 fen): a billion yuan an amount, a hundred thousand units a line. An
// unbounded amount summed with others, or units times a default weight, broke the services' own
// documents and answered 500 (found by the API fuzz test).
export const MAX_INPUT_FEN = 100_000_000_000;
export const MAX_INPUT_UNITS = 100_000;
/** An amount a person enters: integer fen, at most a billion yuan. */
export const InputFen = Fen.max(MAX_INPUT_FEN);
/** A count a person enters: at least 1, at most 100,000. */
export const InputUnits = Units.max(MAX_INPUT_UNITS);

/** Rates as integer basis points (1% = 100) so that tax arithmetic stays in integers. */
export const BasisPoints = z.int().min(0).max(10_000).describe('Rate in basis points (1% = 100)');

/** An instant, always UTC with the Z suffix, so string order is time order. */
export const IsoUtc = z.iso.datetime().describe('ISO-8601 instant in UTC, e.g. 2025-03-01T02:30:00Z');

/** A calendar date with no time zone, read in the city's time zone (Asia/Shanghai for Alar). */
export const LocalDate = z.iso.date().describe('Calendar date YYYY-MM-DD in the city time zone');

/** A tax or statistics month, an Asia/Shanghai calendar month. */
export const Month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM')
  .describe('Calendar month YYYY-MM in the city time zone');

/** Keys into the city profile (districts); events stay city-neutral, so only the shape is checked here. */
export const DistrictCode = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'lower-case letters, digits and -')
  .describe('District code from the city profile, e.g. t01 or s-xingfulu');

/** HMAC-SHA256 of a person's id document (see sellerKeyOf): lower-case hex, 64 characters. */
export const SellerKey = z
  .string()
  .regex(/^[0-9a-f]{64}$/, '64 lower-case hex characters')
  .describe('Pseudonymous key of a natural person: HMAC-SHA256 of id-document type and number');

/** Opaque id of a resident account, never a name or phone number. */
export const ResidentKey = Id.describe('Opaque id of the resident account (no name, phone or id number)');

/**
 * Quantities on invoices can be fractional (kilograms), and binary floats would round them, so they
 * travel as decimal strings with at most 6 decimals (the e-invoice precision).
 */
export const DecimalQuantity = z
  .string()
  .regex(/^(0|[1-9]\d{0,11})(\.\d{1,6})?$/, 'decimal number with at most 6 decimals, e.g. 12.5')
  .refine((s) => /[1-9]/.test(s), 'must be greater than 0')
  .describe('Quantity as a decimal string, > 0, at most 6 decimals');

/** A licence plate as shown outside the owner's own records: masked (see maskPlate). */
export const PlateMasked = z
  .string()
  .min(2)
  .max(16)
  .refine((s) => s.includes('*'), 'must be masked (see maskPlate)')
  .describe('Licence plate with the middle masked, e.g. 新N·***23');

/** Unified social credit code (统一社会信用代码): 18 characters, the taxpayer id of an enterprise. */
export const TaxpayerId = z
  .string()
  .regex(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/, '18-character unified social credit code')
  .describe('Taxpayer id (unified social credit code, 18 characters)');

// Free text a person typed (names, addresses, notes) may not carry control characters: NUL and
// the other C0/C1 controls break exports, logs and the tax office's files, and bidirectional
// overrides (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) can make a name or an invoice
// line read differently from what it is ("Trojan Source"). A line break is allowed only where
// `multiline` says so. One rule for every service: build free-text fields with `freeText`.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const LINE_BREAKS = /[\r\n\t]/;
const BIDI = /[\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/;

export const hasForbiddenCharacters = (text: string, multiline = false): boolean =>
  CONTROL.test(text) || BIDI.test(text) || (!multiline && LINE_BREAKS.test(text));

/** A trimmed free-text string of `min`–`max` characters with no control or bidirectional characters. */
export const freeText = (options: { min?: number; max: number; multiline?: boolean }) =>
  z
    .string()
    .trim()
    .min(options.min ?? 1)
    .max(options.max)
    .refine((t) => !hasForbiddenCharacters(t, options.multiline), {
      message: options.multiline
        ? 'may not contain control or bidirectional-override characters'
        : 'may not contain control characters, line breaks or bidirectional-override characters',
    });

/** A short free-text note; never put personal data here. */
export const Note = freeText({ max: 500, multiline: true });

/** A VIN in canonical form (upper case) with a correct ISO 3779 / GB 16735 check digit. */
export const Vin = z
  .string()
  .regex(/^[A-HJ-NPR-Z0-9]{17}$/, '17 characters: digits and upper-case letters other than I, O, Q')
  .superRefine((vin, ctx) => {
    const check = validateVin(vin);
    if (!check.valid) ctx.addIssue({ code: 'custom', message: check.message });
  })
  .describe('Vehicle identification number (GB 16735), check digit enforced');
