import {
  DomainError,
  maskIdNumber,
  maskName,
  maskPhone,
  normaliseIdNumber,
  sellerKeyOf,
  SubsidyEventTypes,
  type EmissionStandard,
  type FuelType,
  type IdDocumentType,
  type Principal,
  type VehicleType,
} from '@recycling/contracts';
import type { PendingEvent } from '@recycling/messaging';
import { carSubsidyFen } from '../domain/amounts';
import { assertCarsEligible } from '../domain/car-eligibility';
import { acceptDeadline, assertMayResubmit } from '../domain/claim-lifecycle';
import { evidenceKeys, type UsedCarEvidence, type VehicleEvidence } from '../domain/evidence';
import { leftSoonAfterRegistration } from '../domain/fraud';
import { carRuleOn, type CarRuleInForce } from '../domain/programmes';
import { open, seal } from '../domain/protect';
import { maskBankCard } from '../domain/references';
import { uniqueKeys, type UniquenessRule } from '../domain/uniqueness';
import type { ClaimDoc, ClaimFlag } from '../store/models';
import { claimView, residentIdOf, type ClaimView } from './claim-view';
import { listIds, listOfStatus, todayOf, type SubsidyContext } from './context';
import { reconsiderClaim, waitForEvidence } from './evidence';

// A resident's car trade-in claim: scrap-and-buy (the old car's recycling certificate and
// deregistration are the evidence) or sell-and-buy (its used-car sale). Refused at once: a rule not
// met (400 naming every field), an old car, certificate, new car, invoice or yearly seat already
// claimed (409 naming the earlier claim, masked). Accepted claims wait for their evidence.

export interface CarClaimInput {
  programmeCode: string;
  applicant: {
    name: string;
    idType: IdDocumentType;
    idNumber: string;
    phone: string;
    districtCode: string;
  };
  bankCard: { cardNo: string; bankName: string; holderName: string };
  oldCar: {
    vin: string;
    vehicleType: VehicleType;
    fuelType: FuelType;
    emissionStandard: EmissionStandard;
    registrationDate: string;
    ownedSince: string;
    certificateNo?: string;
    usedCarTransactionId?: string;
  };
  newCar: {
    vin: string;
    vehicleType: VehicleType;
    fuelType: FuelType;
    displacementMl?: number;
    priceFen: number;
    invoiceNo: string;
    purchaseDate: string;
    registrationDate: string;
    registration: { certificateNo: string; ownerIdNumber: string };
    dealer: { name: string; districtCode: string };
  };
}

/** What the applicant's sealed record holds (opened only for the bank file). */
export interface SealedApplicant {
  name: string;
  idType: IdDocumentType;
  idNumber: string;
  phone: string;
  bankCardNo: string;
  holderName: string;
}

const sameName = (a: string, b: string) =>
  a.normalize('NFKC').replace(/\s/g, '') === b.normalize('NFKC').replace(/\s/g, '');

/** The checks of a claim's content under its rule: the cars, the card and the new car's owner. */
function assertClaimContent(input: CarClaimInput, found: CarRuleInForce): void {
  const { programme, rule } = found;
  if (programme.kind === 'car-scrap' && !input.oldCar.certificateNo) {
    throw DomainError.invalid(
      'certificate-required',
      'oldCar.certificateNo',
      '报废更新须填写报废机动车回收证明编号 / Scrap-and-buy needs the recycling certificate number.',
    );
  }
  if (programme.kind === 'car-replace' && input.oldCar.certificateNo) {
    throw DomainError.invalid(
      'certificate-not-applicable',
      'oldCar.certificateNo',
      '置换更新的旧车为出售，不填写回收证明 / Sell-and-buy sells the old car: no recycling certificate.',
    );
  }
  if (input.oldCar.vin === input.newCar.vin) {
    throw DomainError.invalid(
      'same-car',
      'newCar.vin',
      '新车与旧车的车架号相同 / The new car has the old car’s VIN.',
    );
  }
  if (!sameName(input.bankCard.holderName, input.applicant.name)) {
    throw DomainError.invalid(
      'bank-card-not-applicant',
      'bankCard.holderName',
      '银行卡须为申请人本人名下 / The bank card must be in the applicant’s own name.',
    );
  }
  if (
    normaliseIdNumber(input.newCar.registration.ownerIdNumber) !== normaliseIdNumber(input.applicant.idNumber)
  ) {
    throw DomainError.invalid(
      'new-car-not-registered-to-applicant',
      'newCar.registration.ownerIdNumber',
      '新车须登记在申请人名下 / The new car must be registered in the applicant’s name.',
    );
  }
  assertCarsEligible(rule, input.oldCar, input.newCar);
}

/** Flags known at submission: the new car already sold or scrapped soon after its registration. */
async function newCarFlags(ctx: SubsidyContext, input: CarClaimInput): Promise<ClaimFlag[]> {
  const days = ctx.tradeIn.fraudSignals.newCarResoldWithinDays;
  const registered = input.newCar.registrationDate;
  const flags: ClaimFlag[] = [];
  const sold = await ctx.evidence.get<UsedCarEvidence>(evidenceKeys.usedCar(input.newCar.vin));
  const sale = sold?.sales.find((s) => leftSoonAfterRegistration(registered, s.transactedOn, days));
  if (sale) {
    flags.push({
      code: 'new-car-resold-soon',
      note: `新车已于 ${sale.transactedOn} 作为二手车交易 / The new car was sold as a used car on ${sale.transactedOn}.`,
      at: ctx.now(),
      eventId: sale.eventId,
    });
  }
  const scrapped = await ctx.evidence.get<VehicleEvidence>(evidenceKeys.vehicle(input.newCar.vin));
  if (scrapped && !scrapped.voided && leftSoonAfterRegistration(registered, scrapped.receivedOn, days)) {
    flags.push({
      code: 'new-car-deregistered-soon',
      note: `新车已于 ${scrapped.receivedOn} 交报废 / The new car was taken in for scrapping on ${scrapped.receivedOn}.`,
      at: ctx.now(),
      eventId: scrapped.eventId,
    });
  }
  return flags;
}

function submittedEvent(ctx: SubsidyContext, doc: ClaimDoc): PendingEvent {
  const car = doc.car!;
  return ctx.events(
    SubsidyEventTypes.claimSubmitted,
    {
      claimId: doc._id,
      programmeCode: doc.programmeCode,
      programmeKind: doc.kind,
      programmeYear: doc.programmeYear,
      districtCode: doc.districtCode,
      personKey: doc.personKey,
      amountFen: doc.amountFen,
      resubmission: doc.resubmissions,
      oldVin: car.oldCar.vin,
      ...(car.oldCar.certificateNo ? { certificateNo: car.oldCar.certificateNo } : {}),
      ...(car.oldCar.usedCarTransactionId ? { usedCarTransactionId: car.oldCar.usedCarTransactionId } : {}),
      newVin: car.newCar.vin,
      occurredAt: ctx.now().toISOString(),
    },
    { subject: doc._id },
  );
}

/** Submits a car claim under `claimId` (reserved with the Idempotency-Key: a retry finds it). */
export async function submitCarClaim(
  ctx: SubsidyContext,
  principal: Principal,
  input: CarClaimInput,
  claimId: string,
): Promise<ClaimView> {
  const existing = await ctx.claims.find(claimId);
  if (existing) return claimView(ctx, existing, 'applicant');

  const found = carRuleOn(ctx.tradeIn, input.programmeCode, input.newCar.purchaseDate);
  assertClaimContent(input, found);
  const { programme, year, rule } = found;
  const amountFen = carSubsidyFen(rule, input.newCar);
  const personKey = sellerKeyOf(input.applicant.idType, input.applicant.idNumber, ctx.personKeySecret);

  const keys: Array<{ key: string; rule: UniquenessRule; field: string }> = [
    { key: uniqueKeys.oldVin(input.oldCar.vin), rule: 'old-vin', field: 'oldCar.vin' },
    ...(input.oldCar.certificateNo
      ? [
          {
            key: uniqueKeys.certificate(input.oldCar.certificateNo),
            rule: 'certificate' as const,
            field: 'oldCar.certificateNo',
          },
        ]
      : []),
    { key: uniqueKeys.newVin(input.newCar.vin), rule: 'new-vin', field: 'newCar.vin' },
    { key: uniqueKeys.invoice(input.newCar.invoiceNo), rule: 'invoice', field: 'newCar.invoiceNo' },
  ];
  const held = await ctx.uniqueKeys.takeAll(keys, claimId);
  let seat: string;
  try {
    seat = await ctx.uniqueKeys.takeSeat(
      `quota:${personKey}:${programme.code}:${year.year}`,
      rule.perPersonPerYear,
      claimId,
      'applicant.idNumber',
    );
  } catch (error) {
    await ctx.uniqueKeys.releaseAll(held, claimId);
    throw error;
  }

  const now = ctx.now();
  const today = todayOf(ctx);
  const residentId = residentIdOf(principal);
  const sealed: SealedApplicant = {
    name: input.applicant.name,
    idType: input.applicant.idType,
    idNumber: normaliseIdNumber(input.applicant.idNumber),
    phone: input.applicant.phone,
    bankCardNo: input.bankCard.cardNo,
    holderName: input.bankCard.holderName,
  };
  const doc: Omit<ClaimDoc, 'outbox' | 'outboxUpdatedAt' | 'createdAt' | 'updatedAt'> = {
    _id: claimId,
    kind: programme.kind,
    programmeCode: programme.code,
    programmeYear: year.year,
    status: 'awaiting-evidence',
    personKey,
    districtCode: input.applicant.districtCode,
    amountFen,
    purchaseDate: input.newCar.purchaseDate,
    applicant: {
      residentId,
      nameMasked: maskName(input.applicant.name),
      idNumberMasked: maskIdNumber(input.applicant.idNumber),
      phoneMasked: maskPhone(input.applicant.phone),
      bankCardMasked: maskBankCard(input.bankCard.cardNo),
      bankName: input.bankCard.bankName,
      sealed: seal(ctx.dataKey, claimId, sealed),
    },
    car: {
      oldCar: {
        vin: input.oldCar.vin,
        vehicleType: input.oldCar.vehicleType,
        fuelType: input.oldCar.fuelType,
        emissionStandard: input.oldCar.emissionStandard,
        registrationDate: input.oldCar.registrationDate,
        ownedSince: input.oldCar.ownedSince,
        ...(input.oldCar.certificateNo ? { certificateNo: input.oldCar.certificateNo } : {}),
        ...(input.oldCar.usedCarTransactionId
          ? { usedCarTransactionId: input.oldCar.usedCarTransactionId }
          : {}),
      },
      newCar: {
        vin: input.newCar.vin,
        vehicleType: input.newCar.vehicleType,
        fuelType: input.newCar.fuelType,
        ...(input.newCar.displacementMl !== undefined ? { displacementMl: input.newCar.displacementMl } : {}),
        priceFen: input.newCar.priceFen,
        invoiceNo: input.newCar.invoiceNo,
        purchaseDate: input.newCar.purchaseDate,
        registrationDate: input.newCar.registrationDate,
        registrationCertificateNo: input.newCar.registration.certificateNo,
        dealer: input.newCar.dealer,
      },
    },
    evidence: { refs: [], waitingFor: [] },
    flags: await newCarFlags(ctx, input),
    uniqueKeys: [...held, seat],
    resubmissions: 0,
    deadlines: { acceptBy: acceptDeadline(today, year.deadlines) },
    submittedAt: now,
    history: [],
    appliedEvents: [],
  };
  const event = submittedEvent(ctx, doc as ClaimDoc);
  doc.history.push({
    at: now,
    action: 'submitted',
    by: { role: 'resident', id: residentId },
    eventId: event.id,
  });

  // Indexed before the claim exists (a reader skips an id without a claim), waiting before it reads.
  await ctx.lists.add(listIds.resident(residentId), [claimId]);
  await ctx.lists.add(listOfStatus(doc)!, [claimId]);
  await waitForEvidence(ctx, doc);
  try {
    if (!(await ctx.claims.create(doc, [event]))) {
      return claimView(ctx, await ctx.claims.get(claimId), 'applicant'); // a racing retry of the same key
    }
  } catch (error) {
    await ctx.uniqueKeys.releaseAll(doc.uniqueKeys, claimId).catch(() => undefined);
    throw error;
  }
  ctx.logger.info(
    { claimId, programmeCode: programme.code, year: year.year, amountFen, districtCode: doc.districtCode },
    'car claim submitted',
  );
  await reconsiderClaim(ctx, claimId);
  return claimView(ctx, await ctx.claims.get(claimId), 'applicant');
}

export interface ResubmissionInput {
  oldCar?: {
    registrationDate?: string;
    ownedSince?: string;
    fuelType?: FuelType;
    emissionStandard?: EmissionStandard;
  };
  newCar?: { registrationDate?: string; registrationCertificateNo?: string };
  bankCard?: { cardNo: string; bankName: string; holderName: string };
  note?: string;
}

/**
 * The applicant corrects a rejected claim and submits it again (up to the programme's cap). What
 * identifies the claim (the cars, the certificate, the invoice) stays; the rest may be corrected, is
 * checked again under the rule of the purchase date, and the evidence is matched again.
 */
export async function resubmitCarClaim(
  ctx: SubsidyContext,
  principal: Principal,
  claimId: string,
  input: ResubmissionInput,
): Promise<ClaimView> {
  const residentId = residentIdOf(principal);
  const current = await ctx.claims.find(claimId);
  if (!current || current.applicant?.residentId !== residentId) {
    throw DomainError.notFound('claim-not-found', `未找到申请 ${claimId} / Claim ${claimId} not found.`);
  }
  await ctx.lists.add(listOfStatus({ ...current, status: 'awaiting-evidence' })!, [claimId]);
  const { doc } = await ctx.claims.update(claimId, async (doc) => {
    const found = carRuleOn(ctx.tradeIn, doc.programmeCode, doc.purchaseDate);
    assertMayResubmit(doc, found.year.resubmissionCap);
    const car = doc.car!;
    const oldCar = { ...car.oldCar, ...input.oldCar };
    const newCar = { ...car.newCar, ...input.newCar };
    assertCarsEligible(
      found.rule,
      {
        ...oldCar,
        vehicleType: oldCar.vehicleType as VehicleType,
        fuelType: oldCar.fuelType as FuelType,
        emissionStandard: oldCar.emissionStandard as EmissionStandard,
      },
      { ...newCar, vehicleType: newCar.vehicleType as VehicleType, fuelType: newCar.fuelType as FuelType },
    );
    if (input.bankCard) {
      const applicant = open<SealedApplicant>(ctx.dataKey, claimId, doc.applicant!.sealed);
      if (!sameName(input.bankCard.holderName, applicant.name)) {
        throw DomainError.invalid(
          'bank-card-not-applicant',
          'bankCard.holderName',
          '银行卡须为申请人本人名下 / The bank card must be in the applicant’s own name.',
        );
      }
      doc.applicant = {
        ...doc.applicant!,
        bankCardMasked: maskBankCard(input.bankCard.cardNo),
        bankName: input.bankCard.bankName,
        sealed: seal(ctx.dataKey, claimId, {
          ...applicant,
          bankCardNo: input.bankCard.cardNo,
          holderName: input.bankCard.holderName,
        } satisfies SealedApplicant),
      };
    }
    const now = ctx.now();
    doc.car = { oldCar, newCar };
    doc.resubmissions += 1;
    doc.status = 'awaiting-evidence';
    doc.evidence = { refs: [], waitingFor: [] };
    doc.deadlines = { acceptBy: acceptDeadline(todayOf(ctx), found.year.deadlines) };
    doc.acceptedAt = undefined;
    const event = submittedEvent(ctx, doc);
    doc.history.push({
      at: now,
      action: 'resubmitted',
      by: { role: 'resident', id: residentId },
      ...(input.note ? { note: input.note } : {}),
      eventId: event.id,
    });
    doc.markModified('car');
    doc.markModified('evidence');
    doc.markModified('deadlines');
    return { events: [event] };
  });
  await waitForEvidence(ctx, doc);
  await reconsiderClaim(ctx, claimId);
  return claimView(ctx, await ctx.claims.get(claimId), 'applicant');
}
