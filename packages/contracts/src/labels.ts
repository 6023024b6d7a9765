import { z } from 'zod';
import { freeText } from './scalars';

// User-facing text is Chinese first, English second (docs/conventions.md), so every label carries both.
export const Label = z
  .object({
    zh: freeText({ max: 1000 }),
    en: freeText({ max: 1000 }),
  })
  .describe('A name in Chinese and English');
export type Label = z.infer<typeof Label>;
