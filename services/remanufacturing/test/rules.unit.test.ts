// The pure rules of remanufacturing: lawful sources, the release decision against the original's
// specification, the warranty, forbidden uses, and the trace both ways.
import { alarProfile, DomainError, type ProductLine } from '@recycling/contracts';
import { fixtures } from '@recycling/contracts/fixtures';
import {
  decideAssemblySource,
  decideIntakeSource,
  sourceClaimKey,
  type AssemblySourceFacts,
} from '../src/domain/core-sources';
import { addMonths } from '../src/domain/local-dates';
import { assertQualifiedFor } from '../src/domain/qualification';
import { assertUseAllowed, decideRelease, evaluate, type CheckRecord } from '../src/domain/release';
import { traceAssembly, traceBack, traceForward, type CoreLink } from '../src/domain/trace';

const line = (code: string): ProductLine =>
  alarProfile.remanufacturing!.productLines.find((l) => l.code === code)!;
const engine = line('engine');
const inverter = line('pv-inverter');

const refusal = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
};

const assembly: AssemblySourceFacts = {
  remanufacturingCode: 'ZZ-2025-0311-017',
  assembly: 'engine',
  vin: 'LSVAG218892512345',
  vehicleIntakeId: 'vi-20250227-0003',
  dismantlerId: 'dm-alar-01',
  serialNo: 'CEA218765',
  certificateNo: 'BF6590022025000137',
  disputed: false,
  voided: false,
};
const request = {
  kind: 'vehicle-assembly' as const,
  remanufacturingCode: 'ZZ-2025-0311-017',
  certificateNo: 'BF6590022025000137',
};

describe('lawful sources of cores', () => {
  it('takes a coded engine with its certificate into the engine line', () => {
    expect(decideAssemblySource(engine, request, assembly)).toEqual({
      kind: 'vehicle-assembly',
      remanufacturingCode: 'ZZ-2025-0311-017',
      assembly: 'engine',
      vin: 'LSVAG218892512345',
      vehicleIntakeId: 'vi-20250227-0003',
      certificateNo: 'BF6590022025000137',
      dismantlerId: 'dm-alar-01',
      serialNo: 'CEA218765',
    });
  });

  it('refuses a code the network has not seen (422 unknown-core-source naming the field)', () => {
    const e = refusal(() => decideAssemblySource(engine, request, null));
    expect([e.kind, e.code]).toEqual(['unprocessable', 'unknown-core-source']);
    expect(e.fields.map((f) => f.field)).toEqual(['source.remanufacturingCode']);
    expect(e.detail).toMatch(/^来源不明.* \/ A core from an unknown source/);
  });

  it('refuses a wrong certificate, a vehicle without one, a voided intake and a disputed code', () => {
    expect(
      refusal(() => decideAssemblySource(engine, { ...request, certificateNo: 'X' }, assembly)).code,
    ).toBe('certificate-mismatch');
    const { certificateNo: _none, ...uncertified } = assembly;
    expect(refusal(() => decideAssemblySource(engine, request, uncertified)).code).toBe(
      'unknown-core-source',
    );
    expect(refusal(() => decideAssemblySource(engine, request, { ...assembly, voided: true })).code).toBe(
      'unknown-core-source',
    );
    expect(refusal(() => decideAssemblySource(engine, request, { ...assembly, disputed: true })).code).toBe(
      'core-source-disputed',
    );
  });

  it('refuses an assembly the line does not take', () => {
    const e = refusal(() => decideAssemblySource(line('transmission'), request, assembly));
    expect([e.code, e.fields[0]?.field]).toEqual(['core-not-for-line', 'productLine']);
  });

  const intakeLine = {
    intakeId: 'in-20250401-0001',
    stationId: 'st-xingfulu-01',
    lineId: 'l1',
    category: 'pv-inverter' as const,
    sortedForRemanufacturing: 2,
  };
  const intakeRequest = { kind: 'intake' as const, intakeId: 'in-20250401-0001', lineId: 'l1' };

  it('takes as many cores from an intake line as the station sorted to remanufacturing', () => {
    const { source, seats } = decideIntakeSource(inverter, intakeRequest, intakeLine);
    expect(seats).toBe(2);
    expect(sourceClaimKey(source, 2)).toBe('intake:in-20250401-0001/l1#2');
    expect(sourceClaimKey(decideAssemblySource(engine, request, assembly))).toBe('assembly:ZZ-2025-0311-017');
  });

  it('refuses an unknown intake line, a line not sorted to remanufacturing, and another category', () => {
    expect(refusal(() => decideIntakeSource(inverter, intakeRequest, null)).code).toBe('unknown-core-source');
    expect(
      refusal(() =>
        decideIntakeSource(inverter, intakeRequest, { ...intakeLine, sortedForRemanufacturing: 0 }),
      ).code,
    ).toBe('not-marked-for-remanufacturing');
    expect(refusal(() => decideIntakeSource(line('rapier-loom'), intakeRequest, intakeLine)).code).toBe(
      'core-not-for-line',
    );
  });

  it('takes cores only for a qualified, active remanufacturer on a line it holds', () => {
    const r = {
      remanufacturerId: 'rm-1',
      active: true,
      qualification: { kind: 'miit-remanufacturing-pilot' as const, number: 'Q-1', validUntil: '2026-12-31' },
      productLines: ['engine'],
    };
    expect(() => assertQualifiedFor(r, 'engine', '2026-12-31')).not.toThrow();
    expect(refusal(() => assertQualifiedFor(r, 'engine', '2027-01-01')).code).toBe('qualification-expired');
    expect(refusal(() => assertQualifiedFor({ ...r, active: false }, 'engine', '2026-01-01')).code).toBe(
      'remanufacturer-inactive',
    );
    expect(refusal(() => assertQualifiedFor(r, 'pv-inverter', '2026-01-01')).fields[0]?.field).toBe(
      'productLine',
    );
  });
});

describe('tests against the original new product', () => {
  const all = [
    { code: 'rated-power', value: 81_000 },
    { code: 'max-torque', value: 156 },
    { code: 'fuel-consumption', value: 245 },
    { code: 'compression-pressure', value: 1_200 },
  ];

  it('passes results at the original in either direction', () => {
    const e = evaluate(engine, 'release', all);
    expect(e.passed).toBe(true);
    expect(e.results.every((r) => r.meets)).toBe(true);
  });

  it('fails a higher-is-better item below the original and a lower-is-better item above it', () => {
    const e = evaluate(engine, 'release', [
      { code: 'rated-power', value: 80_999 },
      { code: 'max-torque', value: 155 },
      { code: 'fuel-consumption', value: 246 },
      { code: 'compression-pressure', value: 1_200 },
    ]);
    expect(e.passed).toBe(false);
    expect(e.failing).toEqual(['rated-power', 'fuel-consumption']);
  });

  it('fails a release test that leaves an item out, but not a production check', () => {
    expect(evaluate(engine, 'release', all.slice(0, 3))).toMatchObject({
      passed: false,
      missing: ['compression-pressure'],
    });
    expect(evaluate(engine, 'production', all.slice(0, 1)).passed).toBe(true);
  });

  it('refuses an item of another line and an item measured twice, naming the fields', () => {
    const e = refusal(() =>
      evaluate(engine, 'release', [{ code: 'max-efficiency', value: 1 }, all[0]!, all[0]!]),
    );
    expect(e.kind).toBe('invalid');
    expect(e.fields.map((f) => f.field)).toEqual(['results.0.code', 'results.2.code']);
  });
});

describe('the release decision', () => {
  const check = (checkNo: number, stage: 'production' | 'release', passed: boolean): CheckRecord => ({
    checkNo,
    stage,
    passed,
    results: [
      {
        code: 'rated-power',
        value: passed ? 82_000 : 79_000,
        original: 81_000,
        better: 'higher',
        meets: passed,
      },
    ],
  });
  const facts = (checks: CheckRecord[]) => ({ status: 'in-production', checks, coresChecked: true });

  it('releases on the latest release test when it passed, after a production check', () => {
    expect(
      decideRelease(engine, facts([check(1, 'production', true), check(2, 'release', true)]), 24),
    ).toEqual({
      releaseCheckNo: 2,
    });
  });

  it('refuses a product whose latest release test failed, even after an earlier pass', () => {
    const e = refusal(() =>
      decideRelease(
        engine,
        facts([check(1, 'production', true), check(2, 'release', true), check(3, 'release', false)]),
        24,
      ),
    );
    expect([e.kind, e.code]).toEqual(['conflict', 'release-test-failed']);
    expect(e.details).toMatchObject({ checkNo: 3, failing: ['rated-power'] });
  });

  it('refuses without a production check, without a release test, or with unchecked cores', () => {
    expect(refusal(() => decideRelease(engine, facts([check(1, 'release', true)]), 24)).code).toBe(
      'production-check-missing',
    );
    expect(refusal(() => decideRelease(engine, facts([check(1, 'production', true)]), 24)).code).toBe(
      'release-test-missing',
    );
    expect(
      refusal(() =>
        decideRelease(
          engine,
          { ...facts([check(1, 'production', true), check(2, 'release', true)]), coresChecked: false },
          24,
        ),
      ).code,
    ).toBe('core-check-missing');
  });

  it('refuses a warranty shorter than the original’s, naming warrantyMonths', () => {
    const e = refusal(() =>
      decideRelease(engine, facts([check(1, 'production', true), check(2, 'release', true)]), 23),
    );
    expect([e.kind, e.fields[0]?.field]).toEqual(['invalid', 'warrantyMonths']);
  });

  it('never lets a vehicle assembly go into a new vehicle; an inverter may be resold', () => {
    expect(refusal(() => assertUseAllowed(engine, 'new-vehicle-assembly')).fields[0]?.field).toBe('use');
    expect(() => assertUseAllowed(engine, 'replacement')).not.toThrow();
    expect(() => assertUseAllowed(inverter, 'resale')).not.toThrow();
  });

  it('runs a warranty to the same day, or the month’s last', () => {
    expect(addMonths('2025-04-03', 24)).toBe('2027-04-03');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2025-11-30', 3)).toBe('2026-02-28');
  });
});

describe('the trace', () => {
  const received = fixtures['recycling.remanufacturing.core-received.v1'];
  const core: CoreLink = {
    coreId: received.coreId,
    remanufacturerId: received.remanufacturerId,
    productLine: 'engine',
    status: 'used',
    intakeCheck: received.intakeCheck,
    source: received.source,
    receivedAt: received.occurredAt,
  };
  const product = {
    productId: 'rp-1',
    remanufacturerId: received.remanufacturerId,
    productLine: 'engine',
    serialNo: 'RM-1',
    status: 'released',
    coreIds: [received.coreId],
    markNo: 'ZZZ-rm-alar-power-2025-000001',
  };

  it('follows a product back to the vehicle and certificate of its engine', () => {
    const trace = traceBack(product, [core]);
    expect(trace.cores[0]?.origin).toEqual({
      kind: 'vehicle',
      vin: 'LSVAG218892512345',
      vehicleIntakeId: 'vi-20250227-0003',
      certificateNo: 'BF6590022025000137',
      dismantlerId: 'dm-alar-01',
      assembly: 'engine',
      remanufacturingCode: 'ZZ-2025-0311-017',
    });
  });

  it('fails loudly when a product names a core that is not stored', () => {
    expect(() => traceBack({ ...product, coreIds: ['core-missing'] }, [core])).toThrow(/core-missing/);
  });

  it('follows a core and a coded assembly forward to the product', () => {
    expect(traceForward(core, product).product?.markNo).toBe('ZZZ-rm-alar-power-2025-000001');
    expect(traceForward(core, null).product).toBeNull();
    const a = traceAssembly(
      {
        remanufacturingCode: 'ZZ-2025-0311-017',
        assembly: 'engine',
        vin: 'LSVAG218892512345',
        vehicleIntakeId: 'vi-20250227-0003',
        dismantlerId: 'dm-alar-01',
      },
      core,
      product,
    );
    expect([a.core?.coreId, a.product?.productId]).toEqual([received.coreId, 'rp-1']);
  });
});
