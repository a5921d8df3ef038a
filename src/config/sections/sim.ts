import { z } from 'zod';

// The built-in simulator's knobs, when it is the target.
export const simSection = z
  .strictObject({
    port: z.number().int().min(0).max(65535).default(8080).describe('port the simulator listens on'),
    ttft_ms: z.number().min(0).optional().describe('deterministic mode: fixed time to first token'),
    itl_ms: z.number().min(0).optional().describe('deterministic mode: fixed inter-token gap'),
    max_num_seqs: z.number().int().min(1).default(256).describe('running sequences before requests queue'),
    seed: z.number().int().default(0).describe('seed for generated text'),
  })
  .prefault({});
