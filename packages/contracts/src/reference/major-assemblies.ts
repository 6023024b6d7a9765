import { z } from 'zod';
import type { Label } from '../labels';

// The five major assemblies (五大总成) of Decree 715. "Front and rear axles" (前后桥) is ONE of the
// five, so it is one code, `axles`; a vehicle with several axles reports several `axles` entries in
// vehicle.dismantled, each with its own disposition.

export const MAJOR_ASSEMBLY_CODES = ['engine', 'steering-gear', 'transmission', 'axles', 'frame'] as const;

export const MajorAssembly = z.enum(MAJOR_ASSEMBLY_CODES).describe('Major assembly code');
export type MajorAssembly = z.infer<typeof MajorAssembly>;

export interface MajorAssemblyInfo {
  readonly code: MajorAssembly;
  readonly name: Label;
}

export const majorAssemblies: Readonly<Record<MajorAssembly, MajorAssemblyInfo>> = {
  engine: { code: 'engine', name: { zh: '发动机', en: 'Engine' } },
  'steering-gear': { code: 'steering-gear', name: { zh: '方向机', en: 'Steering gear' } },
  transmission: { code: 'transmission', name: { zh: '变速器', en: 'Transmission' } },
  axles: { code: 'axles', name: { zh: '前后桥', en: 'Front and rear axles' } },
  frame: { code: 'frame', name: { zh: '车架', en: 'Frame' } },
};

// Decree 715 allows exactly two fates for a major assembly; reassembling a vehicle is forbidden.
export const ASSEMBLY_DISPOSITION_CODES = ['remanufacturing', 'scrap-steel'] as const;
export const AssemblyDisposition = z.enum(ASSEMBLY_DISPOSITION_CODES);
export type AssemblyDisposition = z.infer<typeof AssemblyDisposition>;

export const assemblyDispositions: Readonly<Record<AssemblyDisposition, { readonly name: Label }>> = {
  remanufacturing: { name: { zh: '再制造', en: 'Remanufacturing' } },
  'scrap-steel': { name: { zh: '作为废钢铁', en: 'Scrap steel' } },
};
