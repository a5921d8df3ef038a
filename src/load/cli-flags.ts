import type { FlagSpecs } from '../cli/parse-flags.ts';

// The flags of `npm run load` (and the test:decoder/encoder scripts). Names are an interface other
// tools script against: keep them.
export const LOAD_FLAGS = {
  endpoint: {
    type: 'string',
    help: 'URL to load, e.g. http://127.0.0.1:8080/v1/chat/completions (ENDPOINT_NAME)',
  },
  model: { type: 'string', help: 'served model id (MODEL)' },
  protocol: { type: 'string', help: 'how replies are read; default: implied by the URL' },
  users: { type: 'string', help: 'closed loop: concurrent users (USERS)' },
  'spawn-rate': { type: 'string', help: 'users started per second (SPAWN_RATE)' },
  rate: { type: 'string', help: 'open loop: requests per second' },
  arrival: { type: 'string', help: 'open-loop gaps: constant | poisson | gamma (default poisson)' },
  burstiness: { type: 'string', help: 'gamma shape: < 1 burstier, 1 = Poisson' },
  'max-concurrency': { type: 'string', help: 'open loop: cap on requests in flight' },
  duration: { type: 'string', help: 'run time, e.g. 30s, 2m (RUN_TIME)' },
  requests: { type: 'string', help: 'stop after this many requests' },
  workers: { type: 'string', help: 'worker processes sharing one schedule (WORKERS)' },
  shard: {
    type: 'string',
    help: 'I/N: run shard I of N of this run (auto/N: I from JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX, GAIT_SHARD_INDEX)',
  },
  'start-at': { type: 'string', help: 'ISO time every shard starts at, e.g. 2026-11-29T20:00:00Z' },
  stream: { type: 'boolean', help: 'stream replies and time every token (default; --no-stream)' },
  'max-tokens': { type: 'string', help: 'output tokens asked for' },
  'max-reply-mb': {
    type: 'string',
    help: 'cap on one reply in MiB; past it the request fails as too_large (64)',
  },
  workload: {
    type: 'string',
    help: "built-in workload instead of a config's generator, e.g. synthetic, sharegpt",
  },
  dataset: {
    type: 'string',
    help: 'local dataset file or folder the generator reads (JSON, JSONL, CSV, Parquet)',
  },
  tokenizer: { type: 'string', help: 'tokenizer.json (or a model snapshot folder) to count tokens with' },
  warmup: { type: 'string', help: 'first N requests kept out of the statistics' },
  timeout: { type: 'string', help: 'per-request timeout, e.g. 60s (default 600s)' },
  seed: { type: 'string', help: 'seed of the schedule and the data order' },
  engine: { type: 'string', help: 'native (default) | autocannon (non-streaming, very high rates)' },
  threshold: {
    type: 'string',
    multiple: true,
    help: 'pass/fail check, repeatable, e.g. "ttft_ms.p90<500"; exit 1 when one fails',
  },
  header: {
    type: 'string',
    multiple: true,
    help: "extra request header 'Name: value' (repeatable; load.headers)",
  },
  'api-key': { type: 'string', help: 'sent as Authorization: Bearer <key> (OPENAI_API_KEY; load.api_key)' },
  out: {
    type: 'string',
    help: 'results prefix or s3://bucket/prefix (RESULTS_PREFIX); with --shard: <out>/shard-I/results',
  },
  'metrics-url': {
    type: 'string',
    help: "server's Prometheus metrics page(s), comma-separated; default /metrics on the endpoint (Triton: port 8002)",
  },
  'scrape-interval': { type: 'string', help: 'time between server metric scrapes (default 1s)' },
  'server-metrics': {
    type: 'boolean',
    help: 'scrape the server metrics during the run (default; --no-server-metrics)',
  },
  'prometheus-url': { type: 'string', help: 'also query this Prometheus server over the run (PromQL)' },
  'dry-run': { type: 'boolean', help: 'print the first requests as JSON lines and send nothing' },
  'print-config': { type: 'boolean', help: 'print the effective configuration (secrets masked) and exit' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
} as const satisfies FlagSpecs;

export const LOAD_ENV_NOTE =
  'Old run_locust.sh variables work too: ENDPOINT_NAME, MODEL, TEMPLATE, TEMPLATE_KEYS, CONTENT_TYPE,\n' +
  'PROMPT_MODULE_DIR, PROMPT_MODULE_NAME, PROMPT_GENERATOR_NAME, USERS, WORKERS, SPAWN_RATE, RUN_TIME,\n' +
  'RESULTS_PREFIX, OPENAI_API_KEY. Flags win over them; they win over the config file.';
