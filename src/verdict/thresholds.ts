import { ToolkitError } from '../core/errors.ts';
import type { StageSummary } from '../metrics/summary.ts';
import { METRIC_NAMES, metricReader } from './summary-metrics.ts';

// k6-style pass/fail expressions over a run's summary: `ttft_ms.p90 < 500`, `failed_share < 0.01`,
// `goodput.share >= 0.95`. Parsed once (an unknown name is a config error listing the valid ones),
// evaluated against `overall` after every file of the run is written.

const OPERATORS = ['<=', '>=', '==', '!=', '<', '>'] as const;
type Operator = (typeof OPERATORS)[number];

/** One parsed threshold. */
export interface Threshold {
  expression: string;
  metric: string;
  operator: Operator;
  value: number;
}

/** A threshold's outcome: the value measured (null when the run measured none) and whether it held. */
export interface ThresholdResult {
  expression: string;
  metric: string;
  value: number | null;
  pass: boolean;
  /** Why it failed when no value was measured. */
  note?: string;
}

const SHAPE = /^\s*([A-Za-z_][\w.]*?)\s*(<=|>=|==|!=|<|>)\s*(-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*$/i;

/** Parses one expression; `source` names where it came from in the error. */
export function parseThreshold(expression: string, source = 'thresholds'): Threshold {
  const match = SHAPE.exec(expression);
  if (!match) {
    throw new ToolkitError(`${source}: cannot read threshold "${expression}"`, {
      code: 'CONFIG_INVALID',
      hint: `write "<metric> <op> <number>" with op one of ${OPERATORS.join(' ')}, e.g. "ttft_ms.p90 < 500"`,
    });
  }
  const [, metric, operator, value] = match as unknown as [string, string, Operator, string];
  if (!metricReader(metric)) {
    throw new ToolkitError(`${source}: unknown metric "${metric}" in threshold "${expression}"`, {
      code: 'CONFIG_INVALID',
      hint: `use one of: ${METRIC_NAMES.join(', ')}`,
    });
  }
  return { expression: expression.trim(), metric, operator, value: Number(value) };
}

/** Parses a list of expressions (a config's `thresholds`, repeated --threshold flags). */
export function parseThresholds(expressions: readonly string[], source?: string): Threshold[] {
  return expressions.map((e) => parseThreshold(e, source));
}

function holds(left: number, operator: Operator, right: number): boolean {
  switch (operator) {
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
    case '==':
      return left === right;
    case '!=':
      return left !== right;
  }
}

/** Evaluates thresholds against one stage summary. A metric the run did not measure fails. */
export function evaluateThresholds(
  thresholds: readonly Threshold[],
  summary: StageSummary,
): ThresholdResult[] {
  return thresholds.map((t) => {
    const value = metricReader(t.metric)!(summary);
    if (value === null || Number.isNaN(value)) {
      return {
        expression: t.expression,
        metric: t.metric,
        value: null,
        pass: false,
        note: `the run measured no ${t.metric} (non-streamed requests have no TTFT/ITL; goodput needs load.slo)`,
      };
    }
    return { expression: t.expression, metric: t.metric, value, pass: holds(value, t.operator, t.value) };
  });
}

/** Console lines: one per threshold, ✓/✗ with the measured value. */
export function formatThresholdResults(results: readonly ThresholdResult[]): string[] {
  return results.map((r) => {
    const shown = r.value === null ? 'no value' : Number(r.value.toPrecision(6)).toString();
    return `${r.pass ? 'pass' : 'FAIL'}  ${r.expression}  (measured ${shown})${r.note ? `: ${r.note}` : ''}`;
  });
}
