import {
  applianceCategories,
  DomainError,
  majorAssemblies,
  type ApplianceCategory,
  type CoreSource,
  type MajorAssembly,
  type ProductLine,
} from '@recycling/contracts';

// A core is taken in only from a lawful source the network has seen (plan section 5; domain.md
// section 11): an assembly a dismantler marked for remanufacturing under its code, on a vehicle with
// a recycling certificate (from recycling.vehicles.v1), or a line of a station's intake that the
// station sorted to remanufacturing (from recycling.intakes.v1). A core whose source the network has
// not seen is refused: that is the point of the channel.

export type CoreSourceRequest =
  | { kind: 'vehicle-assembly'; remanufacturingCode: string; certificateNo: string }
  | { kind: 'intake'; intakeId: string; lineId: string };

/** What the vehicles topic told us of a coded assembly. */
export interface AssemblySourceFacts {
  remanufacturingCode: string;
  assembly: MajorAssembly;
  vin: string;
  vehicleIntakeId: string;
  dismantlerId: string;
  serialNo?: string;
  /** The vehicle's recycling certificate, once issued. */
  certificateNo?: string;
  /** The code was reported for two vehicles: nobody may take it in until the dismantler settles it. */
  disputed: boolean;
  /** The vehicle's intake was voided. */
  voided: boolean;
}

/** What the intakes topic told us of an intake line. */
export interface IntakeLineFacts {
  intakeId: string;
  stationId: string;
  lineId: string;
  category: ApplianceCategory;
  /** Units of the line the station sorted to remanufacturing: at most this many cores. */
  sortedForRemanufacturing: number;
}

const unknownSource = (field: string, what: string) =>
  new DomainError(
    'unprocessable',
    'unknown-core-source',
    `来源不明的旧件不得入厂：网络中没有 ${what} / A core from an unknown source is refused: the network has no record of ${what}.`,
    {
      title: { zh: '旧件来源不明', en: 'Unknown core source' },
      fields: [{ field, message: `unknown: ${what}`, code: 'unknown-core-source' }],
    },
  );

/** The source of a vehicle assembly core, or the refusal. */
export function decideAssemblySource(
  line: ProductLine,
  request: Extract<CoreSourceRequest, { kind: 'vehicle-assembly' }>,
  facts: AssemblySourceFacts | null,
): Extract<CoreSource, { kind: 'vehicle-assembly' }> {
  if (!facts) {
    throw unknownSource(
      'source.remanufacturingCode',
      `再制造编码 ${request.remanufacturingCode} / remanufacturing code ${request.remanufacturingCode}`,
    );
  }
  if (facts.disputed) {
    throw DomainError.conflict(
      'core-source-disputed',
      `再制造编码 ${facts.remanufacturingCode} 被报告用于两辆车，待拆解企业更正 / Code ${facts.remanufacturingCode} was reported for two vehicles; the dismantler must settle it.`,
      {
        fields: [{ field: 'source.remanufacturingCode', message: 'disputed', code: 'core-source-disputed' }],
      },
    );
  }
  if (facts.voided || !facts.certificateNo) {
    throw unknownSource(
      'source.certificateNo',
      `车辆 ${facts.vin} 的回收证明 / a recycling certificate of ${facts.vin}`,
    );
  }
  if (facts.certificateNo !== request.certificateNo) {
    throw DomainError.invalid(
      'certificate-mismatch',
      'source.certificateNo',
      `回收证明编号与拆解企业登记的不符 / The recycling certificate number does not match the dismantler's record.`,
    );
  }
  if (!(line.cores.assemblies ?? []).includes(facts.assembly)) {
    throw DomainError.invalid(
      'core-not-for-line',
      'productLine',
      `${majorAssemblies[facts.assembly].name.zh}不是产品线 ${line.code} 的旧件 / A ${majorAssemblies[facts.assembly].name.en.toLowerCase()} is not a core of line ${line.code}.`,
    );
  }
  return {
    kind: 'vehicle-assembly',
    remanufacturingCode: facts.remanufacturingCode,
    assembly: facts.assembly,
    vin: facts.vin,
    vehicleIntakeId: facts.vehicleIntakeId,
    certificateNo: facts.certificateNo,
    dismantlerId: facts.dismantlerId,
    ...(facts.serialNo ? { serialNo: facts.serialNo } : {}),
  };
}

/** The source of an intake core and how many cores its line may give, or the refusal. */
export function decideIntakeSource(
  line: ProductLine,
  request: Extract<CoreSourceRequest, { kind: 'intake' }>,
  facts: IntakeLineFacts | null,
): { source: Extract<CoreSource, { kind: 'intake' }>; seats: number } {
  if (!facts) {
    throw unknownSource(
      'source.lineId',
      `入库单 ${request.intakeId} 的明细 ${request.lineId} / line ${request.lineId} of intake ${request.intakeId}`,
    );
  }
  if (!(line.cores.intakeCategories ?? []).includes(facts.category)) {
    throw DomainError.invalid(
      'core-not-for-line',
      'productLine',
      `${applianceCategories[facts.category].name.zh}不是产品线 ${line.code} 的旧件 / ${applianceCategories[facts.category].name.en} is not a core of line ${line.code}.`,
    );
  }
  if (facts.sortedForRemanufacturing < 1) {
    throw new DomainError(
      'unprocessable',
      'not-marked-for-remanufacturing',
      `回收站未将该明细分拣为再制造 / The station has not sorted this line to remanufacturing.`,
      {
        fields: [
          {
            field: 'source.lineId',
            message: 'not sorted to remanufacturing',
            code: 'not-marked-for-remanufacturing',
          },
        ],
      },
    );
  }
  return {
    source: {
      kind: 'intake',
      intakeId: facts.intakeId,
      lineId: facts.lineId,
      stationId: facts.stationId,
      category: facts.category,
    },
    seats: facts.sortedForRemanufacturing,
  };
}

/** The claim that makes a source give one core only: the assembly code, or one unit of the line. */
export const sourceClaimKey = (source: CoreSource, seat = 1): string =>
  source.kind === 'vehicle-assembly'
    ? `assembly:${source.remanufacturingCode}`
    : `intake:${source.intakeId}/${source.lineId}#${seat}`;
