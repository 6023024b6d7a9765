import { z } from 'zod';
import { validateResidentIdNumber } from '../identity/resident-id-number';
import { EmissionStandard } from '../reference/emission-standards';
import { FuelType } from '../reference/fuel-types';
import { IdDocumentType } from '../reference/id-document-types';
import { VehicleType } from '../reference/vehicle-types';
import { DecimalQuantity, Fen, Id, IsoUtc, LocalDate, PlateMasked, SellerKey, Vin } from '../scalars';

// Pieces shared by several topics. Cross-field invariants are checked with refinements: JSON Schema
// cannot express them, so they are also written in the field descriptions for outside consumers.

/** The time of the fact the event reports, as opposed to the time the event was published. */
export const OccurredAt = IsoUtc.describe('When the reported fact happened (UTC)');

const TIME_WINDOW = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;

/** A booked visit: a local date and a local time window, as the resident chose it. */
export const Slot = z
  .object({
    date: LocalDate,
    window: z
      .string()
      .regex(TIME_WINDOW, 'HH:MM-HH:MM')
      .refine((w) => w.slice(0, 5) < w.slice(6), 'the window must end after it starts')
      .describe('Local time window HH:MM-HH:MM, e.g. 09:00-12:00'),
  })
  .describe('Local date and time window in the city time zone');
export type Slot = z.infer<typeof Slot>;

/**
 * Who sold goods or handed over a vehicle, where the identity itself is not needed: a person only as
 * a seller key; an organisation (public institution, enterprise) by name, which is not personal data.
 */
export const PartyRef = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('person'), sellerKey: SellerKey }),
  z.object({
    kind: z.literal('organisation'),
    organisationName: z.string().min(1).max(200),
    taxpayerId: z.string().min(1).max(40).optional(),
  }),
]);
export type PartyRef = z.infer<typeof PartyRef>;

/** How a vehicle is described before its papers are checked (pickup) and after (intake). */
export const VehicleDescription = z.object({
  vin: Vin,
  plateMasked: PlateMasked,
  vehicleType: VehicleType,
  fuelType: FuelType,
  emissionStandard: EmissionStandard,
  registrationDate: LocalDate.describe('First registration date (初次登记日期)'),
});
export type VehicleDescription = z.infer<typeof VehicleDescription>;

/**
 * The full identity of a natural person who sells scrap. Only the purchases, invoices and
 * declarations topics carry it, because the invoice and the tax declaration must name the person.
 */
export const SellerIdentity = z
  .object({
    sellerKey: SellerKey,
    name: z.string().min(1).max(100),
    idType: IdDocumentType,
    idNumber: z.string().min(1).max(40).describe('Id document number, normalised (no spaces, upper case)'),
  })
  .superRefine((s, ctx) => {
    if (s.idType !== 'resident-id-card') return;
    const check = validateResidentIdNumber(s.idNumber);
    if (!check.valid) ctx.addIssue({ code: 'custom', path: ['idNumber'], message: check.message });
    else if (check.idNumber !== s.idNumber) {
      ctx.addIssue({
        code: 'custom',
        path: ['idNumber'],
        message: 'must be normalised (upper case, no spaces)',
      });
    }
  })
  .describe('Natural person selling scrap: full identity, needed on reverse invoices');
export type SellerIdentity = z.infer<typeof SellerIdentity>;

/** |quantity x unitPrice - amount| <= 1 fen: the e-invoice tolerance, checked without floats. */
export const amountMatches = (quantity: string, unitPriceFen: number, amountFen: number): boolean => {
  const [whole = '0', fraction = ''] = quantity.split('.');
  const scale = 10n ** BigInt(fraction.length);
  const product = BigInt(whole + fraction) * BigInt(unitPriceFen);
  const diff = product - BigInt(amountFen) * scale;
  return (diff < 0n ? -diff : diff) <= scale;
};

/** Works for red-letter lines too, where quantity and amount are both negative. */
export const checkLineAmount = (
  l: { quantity: string; unitPriceFen: number; amountFen: number },
  ctx: z.core.$RefinementCtx,
): void => {
  if (!amountMatches(l.quantity.replace(/^-/, ''), l.unitPriceFen, Math.abs(l.amountFen))) {
    ctx.addIssue({
      code: 'custom',
      path: ['amountFen'],
      message: 'must equal quantity x unitPriceFen within 1 fen',
    });
  }
};

/** A line as it appears on a reverse invoice; purchases already speak in these terms. */
export const InvoiceableLine = z
  .object({
    lineId: Id,
    goodsName: z.string().min(1).max(100).describe('Goods name as on the invoice, e.g. *废旧物资*废旧电冰箱'),
    taxCategoryCode: z
      .string()
      .regex(/^\d{19}$/)
      .describe('Tax classification code (商品和服务税收分类编码), 19 digits'),
    unit: z.string().min(1).max(10).describe('Unit of measure, e.g. 台, 千克, 辆'),
    quantity: DecimalQuantity,
    unitPriceFen: Fen.describe('Unit price in fen, excluding VAT'),
    amountFen: Fen.describe('quantity x unitPriceFen within 1 fen, excluding VAT'),
  })
  .superRefine((l, ctx) => {
    if (!amountMatches(l.quantity, l.unitPriceFen, l.amountFen)) {
      ctx.addIssue({
        code: 'custom',
        path: ['amountFen'],
        message: 'must equal quantity x unitPriceFen within 1 fen',
      });
    }
  });
export type InvoiceableLine = z.infer<typeof InvoiceableLine>;

/** Where a purchase was agreed to be real and consented to (domain.md section 3, Evidence). */
export const PurchaseEvidence = z.object({
  weighingRecordId: Id.optional().describe('Weighing record, when sold by weight'),
  paymentRecordId: Id.describe('Payment record (transfer or cash receipt)'),
  consentRecordedAt: IsoUtc.describe('When the seller consented to reverse invoicing'),
});
export type PurchaseEvidence = z.infer<typeof PurchaseEvidence>;
