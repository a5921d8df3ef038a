import { z } from 'zod';

// What a pipeline plan adds to the usual sections (`npx zx scripts/pipeline.mts plan.yaml`): the
// scenarios to run in order, an optional sweep, pass/fail thresholds, where results are uploaded,
// and whether the stack stays up afterwards. A scenario's `load:`/`workload:` are layered over the
// plan's own sections and validated by the same schema when the plan is read.

const name = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, ".", "_" and "-" (a folder name)');

const overrides = z.record(z.string(), z.unknown());

const scenario = z.strictObject({
  name: name.describe('scenario name; its results go to <run folder>/<name>/'),
  config: z.string().optional().describe('a request config (YAML) for this scenario'),
  endpoint: z.string().url().optional().describe('send here instead of to the stack the pipeline launched'),
  load: overrides.optional().describe("load settings over the plan's load: section"),
  workload: overrides.optional().describe("workload settings over the plan's workload: section"),
  thresholds: z.array(z.string()).optional().describe('thresholds for this scenario only'),
});

const sweep = z
  .strictObject({
    name: name.default('sweep').describe("prefix of the sweep steps' names (sweep-rate-4, ...)"),
    config: z.string().optional().describe('a request config (YAML) for every step'),
    rates: z.array(z.number().positive()).min(1).optional().describe('open loop: requests/s, in order'),
    users: z.array(z.number().int().min(1)).min(1).optional().describe('closed loop: users, in order'),
    load: overrides.optional().describe("load settings of every step over the plan's load:"),
    min_served_share: z
      .number()
      .min(0)
      .max(1)
      .default(0.9)
      .describe('rates: saturated when served req/s < this share of the requested rate'),
    min_gain: z
      .number()
      .min(0)
      .default(0.1)
      .describe('users: saturated when req/s grows by less than this share over the previous step'),
    max_failed_share: z
      .number()
      .min(0)
      .max(1)
      .default(0.05)
      .describe('saturated when more than this share of requests failed'),
  })
  .refine((s) => (s.rates === undefined) !== (s.users === undefined), {
    message: 'give exactly one of rates or users',
  });

/** The plan-only fields (the rest of a plan is the usual config sections). */
export const pipelineFields = {
  scenarios: z.array(scenario).optional().describe('load runs, in order'),
  sweep: sweep.optional().describe('a rate or user sweep run after the scenarios, stopping at saturation'),
  thresholds: z
    .array(z.string())
    .optional()
    .describe('checked for every scenario, e.g. "ttft_ms.p90 < 2000", "failed_share < 0.01"'),
  upload: z
    .string()
    .regex(/^s3:\/\/[^/]+(\/.*)?$/, 'an s3://bucket/prefix URL')
    .optional()
    .describe('copy the run folder to this S3 prefix'),
  keep_up: z.boolean().default(false).describe('leave the stack up after the run'),
};

export const pipelineSchema = z.strictObject(pipelineFields);
export type PipelineFields = z.output<typeof pipelineSchema>;
export type ScenarioSpec = NonNullable<PipelineFields['scenarios']>[number];
export type SweepSpec = NonNullable<PipelineFields['sweep']>;
