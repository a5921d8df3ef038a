import type { FlagSpecs } from '../cli/parse-flags.ts';

// The flags of `npm run report`.
export const REPORT_FLAGS = {
  out: {
    type: 'string',
    help: 'HTML file to write (default <prefix>_report.html; comparison_report.html for several runs)',
  },
  charts: { type: 'string', help: 'folder to write every chart to as <id>.svg and <id>.png' },
  'fail-on-regression': {
    type: 'string',
    help: 'exit 1 when a latency percentile or throughput is worse than the first run by more than this, e.g. 10%',
  },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
} as const satisfies FlagSpecs;
