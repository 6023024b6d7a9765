import { isNewEnergy, MAJOR_ASSEMBLY_CODES, majorAssemblies } from '@recycling/contracts';
import type { AssemblyRecord, FuelType, VehicleDismantledData } from '@recycling/contracts';
import { refusal } from './errors';

// The life of one scrapped vehicle at a site: received, certificate issued, deregistration
// requested (and its outcome), dismantled; or voided before a certificate exists. The order is the
// law's: the recycling certificate comes before deregistration (2020 implementing rules), and the
// vehicle is dismantled under a certificate.

export const DEREGISTRATION_STATES = ['requested', 'completed', 'rejected'] as const;
export type DeregistrationState = (typeof DEREGISTRATION_STATES)[number];

export interface IntakeLifecycle {
  readonly vehicleIntakeId: string;
  readonly status: 'received' | 'voided';
  readonly fuelType: FuelType;
  readonly certificate?: { readonly certificateNo: string; readonly issuedAt: Date } | null;
  readonly deregistration?: { readonly state: DeregistrationState } | null;
  readonly dismantling?: { readonly dismantledAt: Date } | null;
}

const voided = (intake: IntakeLifecycle) =>
  refusal(
    'conflict',
    'intake-voided',
    `接收记录 ${intake.vehicleIntakeId} 已作废 / Intake ${intake.vehicleIntakeId} is void.`,
  );

export const assertMayVoid = (intake: IntakeLifecycle): void => {
  if (intake.status === 'voided') throw voided(intake);
  if (intake.certificate) {
    throw refusal(
      'conflict',
      'certificate-already-issued',
      `已出具回收证明 ${intake.certificate.certificateNo}，接收记录不能作废 / Certificate ${intake.certificate.certificateNo} was issued; the intake can no longer be voided.`,
    );
  }
};

/** Whether a certificate must be allocated; false when one was already issued (asking again is safe). */
export const needsCertificate = (intake: IntakeLifecycle): boolean => {
  if (intake.status === 'voided') throw voided(intake);
  return !intake.certificate;
};

export const assertMayRequestDeregistration = (intake: IntakeLifecycle): void => {
  if (intake.status === 'voided') throw voided(intake);
  if (!intake.certificate) {
    throw refusal(
      'conflict',
      'certificate-required',
      '须先出具报废机动车回收证明，才能申请注销登记 / The recycling certificate must be issued before deregistration is requested.',
    );
  }
  const state = intake.deregistration?.state;
  if (state === 'requested' || state === 'completed') {
    throw refusal(
      'conflict',
      'deregistration-already-requested',
      `注销登记已${state === 'requested' ? '申请' : '办结'} / Deregistration was already ${state}.`,
    );
  }
};

export const assertMayRecordDeregistrationOutcome = (intake: IntakeLifecycle): void => {
  if (intake.deregistration?.state !== 'requested') {
    throw refusal(
      'conflict',
      'deregistration-not-pending',
      '没有待办的注销登记申请 / No deregistration request is pending.',
    );
  }
};

/** The date on a deregistration certificate cannot lie in the future (the city's today). */
export const assertDeregistrationDate = (deregisteredOn: string | undefined, today: string): void => {
  if (deregisteredOn !== undefined && deregisteredOn > today) {
    throw refusal(
      'invalid',
      'deregistration-date-in-future',
      `注销日期 ${deregisteredOn} 晚于今天 / The deregistration date ${deregisteredOn} is after today.`,
      'deregisteredOn',
    );
  }
};

export type DismantlingRecord = Pick<
  VehicleDismantledData,
  'assemblies' | 'reusedParts' | 'materials' | 'tractionBattery'
>;

/**
 * Decree 715: each of the five major assemblies goes to remanufacturing (with its code) or to scrap
 * steel, never back into a vehicle (the disposition enum has no such value); NEV traction batteries
 * are traced by their code on the national platform, so an NEV cannot be recorded without one.
 */
export const assertMayRecordDismantling = (intake: IntakeLifecycle, record: DismantlingRecord): void => {
  if (intake.status === 'voided') throw voided(intake);
  if (!intake.certificate) {
    throw refusal(
      'conflict',
      'certificate-required',
      '须先出具报废机动车回收证明，才能登记拆解 / The recycling certificate must be issued before dismantling is recorded.',
    );
  }
  if (intake.dismantling) {
    throw refusal(
      'conflict',
      'already-dismantled',
      `车辆已于 ${intake.dismantling.dismantledAt.toISOString()} 登记拆解 / The vehicle's dismantling was already recorded.`,
    );
  }
  const missing = missingAssemblies(record.assemblies);
  if (missing.length > 0) {
    throw refusal(
      'invalid',
      'assemblies-missing',
      `缺少五大总成的去向：${missing.map((a) => majorAssemblies[a].name.zh).join('、')} / Missing the disposition of: ${missing.map((a) => majorAssemblies[a].name.en).join(', ')}.`,
      'assemblies',
    );
  }
  const nev = isNewEnergy(intake.fuelType);
  if (nev && !record.tractionBattery) {
    throw refusal(
      'invalid',
      'traction-battery-required',
      '新能源汽车须登记动力蓄电池编码 / A new-energy vehicle needs its traction battery and battery code.',
      'tractionBattery',
    );
  }
  if (!nev && record.tractionBattery) {
    throw refusal(
      'invalid',
      'traction-battery-not-applicable',
      '非新能源汽车不登记动力蓄电池 / Only new-energy vehicles record a traction battery.',
      'tractionBattery',
    );
  }
};

export const missingAssemblies = (assemblies: readonly Pick<AssemblyRecord, 'assembly'>[]) =>
  MAJOR_ASSEMBLY_CODES.filter((code) => !assemblies.some((a) => a.assembly === code));
