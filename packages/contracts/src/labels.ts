import { z } from 'zod';

// User-facing text is Chinese first, English second (docs/conventions.md), so every label carries both.
export const Label = z
  .object({
    zh: z.string().min(1),
    en: z.string().min(1),
  })
  .describe('A name in Chinese and English');
export type Label = z.infer<typeof Label>;
