import type { FuelType, SubsidyEvidenceRef, SubsidyFlagCode } from '@recycling/contracts';

// Matching a claim with the network's own events (pure). Evidence is kept by `_id` (the certificate
// number, the VIN, the sale id), so it can arrive before or after the claim: a claim whose evidence
// is incomplete waits, and is decided when the missing piece arrives. Contradicting evidence does not
// refuse a claim: it is decided as not matched, with flags for the reviewer.

export const evidenceKeys = {
  certificate: (certificateNo: string) => `certificate:${certificateNo}`,
  deregistration: (vin: string) => `deregistration:${vin}`,
  vehicle: (vin: string) => `vehicle:${vin}`,
  usedCar: (vin: string) => `used-car:${vin}`,
  oldItem: (saleId: string) => `old-item:${saleId}`,
};

export interface CertificateEvidence {
  vin: string;
  certificateNo: string;
  dismantlerId: string;
  enterpriseId: string;
  eventId: string;
  /** City date the certificate was issued. */
  issuedOn: string;
}

export interface DeregistrationOutcomeEvidence {
  state: 'completed' | 'refused';
  certificateNo: string;
  deregistrationCertificateNo?: string;
  deregisteredOn?: string;
  reason?: string;
  eventId: string;
  occurredAt: string;
}

export interface DeregistrationEvidence {
  vin: string;
  outcomes: DeregistrationOutcomeEvidence[];
}

export interface VehicleEvidence {
  vin: string;
  registrationDate: string;
  fuelType: FuelType;
  emissionStandard: string;
  vehicleType: string;
  dismantlerId: string;
  voided: boolean;
  eventId: string;
  receivedOn: string;
}

export interface UsedCarSaleEvidence {
  transactionId: string;
  transactedOn: string;
  priceFen: number;
  invoiceNo: string;
  marketId: string;
  eventId: string;
}

export interface UsedCarEvidence {
  vin: string;
  sales: UsedCarSaleEvidence[];
}

export interface OldItemIntakeEvidence {
  intakeId: string;
  stationId: string;
  eventId: string;
  occurredAt: string;
}

export interface OldItemEvidence {
  saleId: string;
  intakes: OldItemIntakeEvidence[];
}

export interface Flag {
  code: SubsidyFlagCode;
  note: string;
}

export type MatchOutcome =
  | { complete: false; waitingFor: string[] }
  | { complete: true; matched: boolean; evidence: SubsidyEvidenceRef[]; flags: Flag[] };

export interface ScrapClaimFacts {
  oldVin: string;
  certificateNo: string;
  declared: { registrationDate: string; fuelType: FuelType };
}

/**
 * A scrap-and-buy claim needs the recycling certificate it names (for its old VIN) and the traffic
 * police's outcome of the deregistration; the vehicle's intake, where present, checks what was
 * declared about the old car.
 */
export function matchScrapClaim(
  claim: ScrapClaimFacts,
  found: {
    certificate?: CertificateEvidence | null;
    deregistration?: DeregistrationEvidence | null;
    vehicle?: VehicleEvidence | null;
  },
): MatchOutcome {
  const waitingFor: string[] = [];
  const cert = found.certificate;
  const outcome = found.deregistration?.outcomes.at(-1);
  if (!cert) waitingFor.push(evidenceKeys.certificate(claim.certificateNo));
  if (!outcome) waitingFor.push(evidenceKeys.deregistration(claim.oldVin));
  if (!cert || !outcome) return { complete: false, waitingFor };

  const flags: Flag[] = [];
  const evidence: SubsidyEvidenceRef[] = [
    { kind: 'recycling-certificate', eventId: cert.eventId, ref: cert.certificateNo },
    {
      kind: 'deregistration',
      eventId: outcome.eventId,
      ref: outcome.deregistrationCertificateNo ?? outcome.certificateNo,
    },
  ];
  if (cert.vin !== claim.oldVin) {
    flags.push({
      code: 'evidence-mismatch',
      note: `回收证明 ${cert.certificateNo} 所载车架号与申请不符 / Certificate ${cert.certificateNo} names another VIN.`,
    });
  }
  if (outcome.state === 'refused') {
    flags.push({
      code: 'deregistration-refused',
      note: `公安交管部门未予注销：${outcome.reason ?? ''} / The traffic police refused the deregistration.`,
    });
  } else {
    if (outcome.certificateNo !== claim.certificateNo) {
      flags.push({
        code: 'evidence-mismatch',
        note: `注销登记所据回收证明为 ${outcome.certificateNo}，与申请不符 / The deregistration names certificate ${outcome.certificateNo}.`,
      });
    }
    if (outcome.deregisteredOn && outcome.deregisteredOn < cert.issuedOn) {
      flags.push({
        code: 'evidence-mismatch',
        note: `注销日期 ${outcome.deregisteredOn} 早于回收证明日期 ${cert.issuedOn} / Deregistered before the certificate was issued.`,
      });
    }
  }
  const vehicle = found.vehicle;
  if (vehicle && !vehicle.voided) {
    evidence.push({ kind: 'vehicle-intake', eventId: vehicle.eventId, ref: vehicle.vin });
    if (vehicle.registrationDate !== claim.declared.registrationDate) {
      flags.push({
        code: 'evidence-mismatch',
        note: `拆解企业登记的初次登记日期为 ${vehicle.registrationDate}，申请填写 ${claim.declared.registrationDate} / The dismantler recorded first registration on ${vehicle.registrationDate}.`,
      });
    }
    if (vehicle.fuelType !== claim.declared.fuelType) {
      flags.push({
        code: 'evidence-mismatch',
        note: `拆解企业登记的燃料类型为 ${vehicle.fuelType} / The dismantler recorded fuel ${vehicle.fuelType}.`,
      });
    }
  }
  return { complete: true, matched: flags.length === 0, evidence, flags };
}

export interface ReplaceClaimFacts {
  oldVin: string;
  usedCarTransactionId?: string;
  ownedSince: string;
}

/** A sell-and-buy claim needs the used-car sale of its old VIN (the one it names, if it names one). */
export function matchReplaceClaim(claim: ReplaceClaimFacts, usedCar?: UsedCarEvidence | null): MatchOutcome {
  const sales = usedCar?.sales ?? [];
  const sale = claim.usedCarTransactionId
    ? sales.find((s) => s.transactionId === claim.usedCarTransactionId)
    : sales.at(-1);
  if (!sale) return { complete: false, waitingFor: [evidenceKeys.usedCar(claim.oldVin)] };
  const flags: Flag[] = [];
  if (sale.transactedOn < claim.ownedSince) {
    flags.push({
      code: 'evidence-mismatch',
      note: `二手车交易日期 ${sale.transactedOn} 早于申请人取得该车的日期 / Sold before the applicant owned it.`,
    });
  }
  return {
    complete: true,
    matched: flags.length === 0,
    evidence: [{ kind: 'used-car-sale', eventId: sale.eventId, ref: sale.transactionId }],
    flags,
  };
}

/** A counter sale whose programme needs it waits for the intake of the old item naming the sale. */
export function matchOldItem(saleId: string, found?: OldItemEvidence | null): MatchOutcome {
  const intake = found?.intakes[0];
  if (!intake) return { complete: false, waitingFor: [evidenceKeys.oldItem(saleId)] };
  return {
    complete: true,
    matched: true,
    evidence: [{ kind: 'old-item-intake', eventId: intake.eventId, ref: intake.intakeId }],
    flags: [],
  };
}
