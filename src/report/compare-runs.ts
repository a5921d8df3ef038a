import { ToolkitError } from '../core/errors.ts';
import type { StageSummary } from '../metrics/summary.ts';
import { COMPARED_FIGURES, type Figure, figureValue } from './key-figures.ts';

// Several runs against the first (the baseline): each figure's value per run, its % change, and
// which changes are regressions beyond a threshold. Pure.

/** One figure across runs. */
export interface ComparedRow {
  figure: Figure;
  values: (number | null)[];
  /** % change against the baseline (index 0 is always null). */
  changes: (number | null)[];
  /** Per run: worse than the baseline by more than the threshold (gated figures only). */
  regressed: boolean[];
}

/** A figure that got worse than the baseline by more than the threshold. */
export interface Regression {
  run: string;
  figure: string;
  baseline: number;
  value: number;
  changePct: number;
}

export interface Comparison {
  labels: string[];
  thresholdPct: number | undefined;
  rows: ComparedRow[];
  regressions: Regression[];
}

/** Compares each run's overall figures with the first run's. */
export function compareRuns(
  runs: readonly { label: string; overall: StageSummary }[],
  thresholdPct?: number,
): Comparison {
  const rows = COMPARED_FIGURES.map((figure) => {
    const values = runs.map((r) => figureValue(r.overall, figure.path));
    const base = values[0] ?? null;
    const changes = values.map((v, i) =>
      i === 0 || v === null || base === null || base === 0 ? null : ((v - base) / Math.abs(base)) * 100,
    );
    const regressed = changes.map((c) => {
      if (c === null || thresholdPct === undefined || !figure.gated) return false;
      return figure.better === 'lower' ? c > thresholdPct : -c > thresholdPct;
    });
    return { figure, values, changes, regressed };
  }).filter((row) => row.values.some((v) => v !== null));
  const regressions = rows.flatMap((row) =>
    row.regressed.flatMap((bad, i) =>
      bad
        ? [
            {
              run: runs[i]!.label,
              figure: row.figure.label,
              baseline: row.values[0]!,
              value: row.values[i]!,
              changePct: row.changes[i]!,
            },
          ]
        : [],
    ),
  );
  return { labels: runs.map((r) => r.label), thresholdPct, rows, regressions };
}

/** "10%", "10" or "2.5 %" as a number of percent; a clear error otherwise. */
export function parseThreshold(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(text);
  if (!match) {
    throw new ToolkitError(`--fail-on-regression: "${text}" is not a percentage`, {
      code: 'BAD_ARGUMENTS',
      hint: 'give how much worse than the baseline fails, e.g. --fail-on-regression 10%',
    });
  }
  return Number(match[1]);
}
