import { z } from 'zod';
import { durationMs } from '../duration.ts';
import { setting } from '../setting-meta.ts';

const stage = z.strictObject({
  duration: durationMs.describe('how long the stage runs, e.g. "30s"'),
  rate: z.number().positive().optional().describe('open loop: requests per second'),
  users: z.number().int().min(1).optional().describe('closed loop: concurrent users'),
});

/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** A header value without line breaks or control characters. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

const headers = z
  .record(z.string(), z.string())
  .superRefine((map, ctx) => {
    for (const [name, value] of Object.entries(map)) {
      if (!HEADER_NAME.test(name))
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: "a header name is letters, digits and !#$%&'*+.^_`|~-",
        });
      else if (!HEADER_VALUE.test(value))
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: 'a header value has no line breaks or control characters',
        });
    }
  })
  .default({});

const slo = z.strictObject({
  ttft_ms: z.number().positive().optional(),
  tpot_ms: z.number().positive().optional(),
  e2e_ms: z.number().positive().optional(),
});

const circuitBreaker = z.strictObject({
  window: durationMs
    .prefault('10s')
    .describe('how far back the failure share is measured, e.g. "10s" (inference-perf: circuit breaker)'),
  max_failure_share: z
    .number()
    .gt(0)
    .max(1)
    .default(0.9)
    .describe('stop the run when the share of failed requests in the window passes this (0..1]'),
  min_requests: z
    .number()
    .int()
    .min(1)
    .default(20)
    .describe('requests the window must hold before the breaker may trip'),
});

// How load is generated. Closed loop (users) unless `rate` is set (open loop).
export const loadSection = z
  .strictObject({
    users: z
      .number()
      .int()
      .min(1)
      .default(1)
      .describe('closed loop: concurrent users')
      .meta(setting({ flag: 'users', short: 'u', env: ['USERS'] })),
    spawn_rate: z
      .number()
      .positive()
      .default(1)
      .describe('users started per second')
      .meta(setting({ flag: 'spawn-rate', short: 'r', env: ['SPAWN_RATE'] })),
    duration: durationMs
      .optional()
      .describe('run time, e.g. 30s, 2m; a bare number is seconds')
      .meta(setting({ flag: 'duration', short: 't', aliases: ['run-time'], env: ['RUN_TIME'] })),
    requests: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('stop after this many requests')
      .meta(setting({ flag: 'requests' })),
    rate: z
      .number()
      .positive()
      .optional()
      .describe('open loop: requests per second')
      .meta(setting({ flag: 'rate' })),
    arrival: z
      .enum(['constant', 'poisson', 'gamma'])
      .default('poisson')
      .describe('open-loop gaps: constant | poisson | gamma')
      .meta(setting({ flag: 'arrival' })),
    burstiness: z
      .number()
      .positive()
      .default(1)
      .describe('gamma shape: < 1 burstier, 1 = Poisson')
      .meta(setting({ flag: 'burstiness' })),
    max_concurrency: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('open loop: cap on requests in flight')
      .meta(setting({ flag: 'max-concurrency' })),
    wait_ms: z.number().min(0).default(0).describe("closed loop: pause between a user's requests"),
    stages: z.array(stage).optional().describe('steps run in order, each reported on its own'),
    warmup_requests: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe('first N requests kept out of the statistics')
      .meta(setting({ flag: 'warmup' })),
    workers: z
      .number()
      .int()
      .min(1)
      .default(1)
      .describe('worker processes sharing one schedule')
      .meta(setting({ flag: 'workers', env: ['WORKERS'] })),
    stream: z
      .boolean()
      .default(true)
      .describe('stream replies and time every token, where the protocol can')
      .meta(setting({ flag: 'stream' })),
    max_tokens: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('output tokens asked for; overrides the template')
      .meta(setting({ flag: 'max-tokens' })),
    timeout: durationMs
      .prefault('600s')
      .describe('per-request timeout, e.g. 60s; a bare number is seconds')
      .meta(setting({ flag: 'timeout' })),
    shard: z
      .string()
      .regex(/^\s*(auto|\d+)\s*\/\s*\d+\s*$/, 'write I/N (e.g. 0/4) or auto/N')
      .optional()
      .describe(
        'I/N: run shard I of N of this run on this host; auto/N takes I from JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX or GAIT_SHARD_INDEX',
      )
      .meta(setting({ flag: 'shard' })),
    start_at: z
      .string()
      .optional()
      .describe('common start of all shards, an ISO time such as 2026-11-29T20:00:00Z (hosts need NTP)')
      .meta(setting({ flag: 'start-at' })),
    seed: z
      .number()
      .int()
      .default(42)
      .describe('seed of the schedule and the data order')
      .meta(setting({ flag: 'seed' })),
    engine: z
      .enum(['native', 'autocannon'])
      .default('native')
      .describe('load engine: native | autocannon (non-streaming, very high rates)')
      .meta(setting({ flag: 'engine' })),
    headers: headers
      .describe("extra request header 'Name: value' (repeatable); values of secret-looking names are masked")
      .meta(setting({ flag: 'header', type: 'headers' })),
    sagemaker_runtime_url: z
      .string()
      .url()
      .optional()
      .describe('SageMaker runtime API base URL for sagemaker:// endpoints')
      .meta(setting({ env: ['AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME'], defaultText: "the region's" })),
    api_key: z
      .string()
      .min(1)
      .optional()
      .describe('sent as "Authorization: Bearer <key>"; masked in saved configs')
      .meta(setting({ flag: 'api-key', env: ['OPENAI_API_KEY'] })),
    slo: slo.optional().describe('goodput: a request is good when it meets every SLO given'),
    max_reply_mb: z
      .number()
      .positive()
      .default(64)
      .describe('cap on one reply body in MiB; a longer reply fails as too_large and is cut off')
      .meta(setting({ flag: 'max-reply-mb' })),
    circuit_breaker: circuitBreaker
      .optional()
      .describe('stop the run when too many requests fail (a dead server); off unless set'),
    python: z
      .string()
      .min(1)
      .optional()
      .describe('Python that runs .py prompt generators')
      .meta(setting({ env: ['PYTHON'], defaultText: 'python3' })),
    thresholds: z
      .array(z.string())
      .optional()
      .describe(
        'pass/fail checks over the summary, e.g. "ttft_ms.p90 < 500" (--threshold); exit 1 when one fails',
      ),
    schedule_delay_threshold_ms: z
      .number()
      .positive()
      .default(50)
      .describe('schedule delay p99 above this marks a stage as fallen behind'),
  })
  .prefault({});
