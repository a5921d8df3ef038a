// Every CSV column list, defined once. Locust's files keep Locust's exact names and meanings
// (locust/stats.py: StatsCSV and StatsCSVFileWriter); our own files carry units in the names.

/** Locust's reported percentiles, as its CSV headers spell them. */
export const LOCUST_PERCENTILES: readonly [number, string][] = [
  [50, '50%'],
  [66, '66%'],
  [75, '75%'],
  [80, '80%'],
  [90, '90%'],
  [95, '95%'],
  [98, '98%'],
  [99, '99%'],
  [99.9, '99.9%'],
  [99.99, '99.99%'],
  [100, '100%'],
];

/** `<prefix>_stats.csv`: one row per request name, then `Aggregated`. */
export const LOCUST_STATS_COLUMNS = [
  'Type',
  'Name',
  'Request Count',
  'Failure Count',
  'Median Response Time',
  'Average Response Time',
  'Min Response Time',
  'Max Response Time',
  'Average Content Size',
  'Requests/s',
  'Failures/s',
  ...LOCUST_PERCENTILES.map(([, label]) => label),
] as const;

/** `<prefix>_stats_history.csv`: one `Aggregated` row per second. */
export const LOCUST_HISTORY_COLUMNS = [
  'Timestamp',
  'User Count',
  'Type',
  'Name',
  'Requests/s',
  'Failures/s',
  ...LOCUST_PERCENTILES.map(([, label]) => label),
  'Total Request Count',
  'Total Failure Count',
  'Total Median Response Time',
  'Total Average Response Time',
  'Total Min Response Time',
  'Total Max Response Time',
  'Total Average Content Size',
] as const;

/** `<prefix>_failures.csv`: one row per (method, name, error). */
export const LOCUST_FAILURES_COLUMNS = ['Method', 'Name', 'Error', 'Occurrences'] as const;

/** `<prefix>_exceptions.csv`: errors of the load generator itself (not of the server). */
export const LOCUST_EXCEPTIONS_COLUMNS = ['Count', 'Message', 'Traceback', 'Nodes'] as const;

/** `<prefix>_requests.csv`: one row per request; times in ms from the run's start; empty = not measured. */
export const REQUEST_COLUMNS = [
  'request_id',
  'stage',
  'worker',
  'user',
  'name',
  'scheduled_ms',
  'sent_ms',
  'first_token_ms',
  'end_ms',
  'status',
  'error',
  'error_message',
  'streamed',
  'warmup',
  'prompt_tokens',
  'prompt_tokens_server',
  'prompt_tokens_client',
  'output_tokens',
  'output_tokens_server',
  'output_tokens_client',
  'output_tokens_mismatch',
  'ttft_ms',
  'tpot_ms',
  'ntpot_ms',
  'e2e_ms',
  'itl_mean_ms',
  'itl_max_ms',
  'schedule_delay_ms',
  'ttft_from_scheduled_ms',
  'e2e_from_scheduled_ms',
  'bytes',
] as const;
