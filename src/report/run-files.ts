import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ToolkitError } from '../core/errors.ts';
import { resultFiles } from './results-writer.ts';
import type { RunSummary } from './run-summary.ts';

// Finds a run's files from what a user types (a results prefix, a run folder, or one of the run's
// files) and reads its summary and effective config.

const SUFFIXES = [
  '_summary.json',
  '_requests.csv',
  '_stats.csv',
  '_stats_history.csv',
  '_report.html',
  '_config.yaml',
];

/** The results prefix a report argument names; a clear error when there is no run there. */
export function resolveRunPrefix(arg: string): string {
  if (existsSync(arg) && statSync(arg).isDirectory()) {
    const found = readdirSync(arg).filter((name) => name.endsWith('_summary.json'));
    if (found.length === 1) return join(arg, found[0]!.slice(0, -'_summary.json'.length));
    throw new ToolkitError(
      found.length
        ? `${arg} holds ${found.length} runs (${found.join(', ')})`
        : `${arg} holds no run: no *_summary.json in it`,
      {
        code: 'REPORT_NO_RUN',
        hint: found.length
          ? `name one by its prefix, e.g. ${join(arg, found[0]!.replace('_summary.json', ''))}`
          : 'give the results prefix of a finished run (npm run load prints it), e.g. output/run-<time>/results',
      },
    );
  }
  const suffix = SUFFIXES.find((s) => arg.endsWith(s));
  const prefix = suffix ? arg.slice(0, -suffix.length) : arg;
  if (!existsSync(resultFiles(prefix).summary)) {
    throw new ToolkitError(`no run at ${arg}: ${resultFiles(prefix).summary} does not exist`, {
      code: 'REPORT_NO_RUN',
      hint: 'give a results prefix (output/run-<time>/results) or a run folder; a run that never finished has no summary',
    });
  }
  return prefix;
}

/** Reads and checks `<prefix>_summary.json`. */
export async function readSummary(prefix: string): Promise<RunSummary> {
  const file = resultFiles(prefix).summary;
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new ToolkitError(`${file} is not valid JSON: ${(error as Error).message}`, {
      code: 'REPORT_BAD_SUMMARY',
      hint: 'the run was cut off while writing it; run the load again',
    });
  }
  const s = parsed as Partial<RunSummary>;
  if (s?.schema_version !== 1 || !s.overall?.latency || !Array.isArray(s.stages)) {
    throw new ToolkitError(`${file} is not a run summary (schema_version 1 with overall and stages)`, {
      code: 'REPORT_BAD_SUMMARY',
      hint: 'point the report at a results prefix written by npm run load',
    });
  }
  return s as RunSummary;
}

/** The effective config as saved beside the results ('' when absent). */
export async function readConfigText(prefix: string): Promise<string> {
  const file = resultFiles(prefix).config;
  return existsSync(file) ? readFile(file, 'utf8') : '';
}

/** A short name for a run: its folder when the prefix ends in the default `results`. */
export function runLabel(prefix: string): string {
  const name = basename(prefix);
  return name === 'results' ? basename(dirname(prefix)) || name : name;
}
