import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { getActiveCodebook } from '../codebooks/service.ts';
import { getProtocol, ReviewProtocolSchema } from './protocol.ts';

/** What the review UI needs once: the active codebook's labels, stance scale and themes, and the review protocol. */
export const ReviewSetupSchema = z
  .object({
    codebook: z.object({
      id: z.number().int(),
      name: z.string(),
      version: z.string(),
      labels: z.array(z.object({ id: z.string(), name: z.string(), definition: z.string() })),
      stance: z.object({ target: z.string(), min: z.number().int(), max: z.number().int(), labels: z.record(z.string(), z.string()) }),
      themes: z.array(z.object({ id: z.string(), name: z.string() })),
    }),
    protocol: ReviewProtocolSchema,
  })
  .meta({ id: 'ReviewSetup' });
export type ReviewSetup = z.infer<typeof ReviewSetupSchema>;

/** The review UI's setup, from the active codebook and the stored protocol. */
export function reviewSetup(db: Db): ReviewSetup {
  const cb = getActiveCodebook(db);
  const def = cb.definition;
  return {
    codebook: {
      id: cb.id,
      name: def.name,
      version: def.version,
      labels: def.labels.map((l) => ({ id: l.id, name: l.name, definition: l.definition })),
      stance: def.stance,
      themes: def.themes.map((t) => ({ id: t.id, name: t.name })),
    },
    protocol: getProtocol(db),
  };
}
