import { ToolkitError } from '../core/errors.ts';

// The exit codes a scheduler acts on (README "Unattended runs").
export const EXIT = {
  /** Every threshold met. */
  ok: 0,
  /** A threshold failed (or a scenario was cut short). */
  thresholdFailed: 1,
  /** Bad plan or arguments: nothing was started. */
  badPlan: 2,
  /** Infrastructure failed: snapshot, build, up, health, a load run's error, upload, the run lock. */
  infrastructure: 3,
  /** Interrupted by SIGINT / SIGTERM (the stack still taken down). */
  sigint: 130,
  sigterm: 143,
} as const;

// Errors that mean the plan (or a request config it names) is wrong, whenever they surface.
const PLAN_CODES = new Set([
  'BAD_ARGUMENTS',
  'CONFIG_INVALID',
  'CONFIG_SHAPE',
  'CONFIG_SYNTAX',
  'CONFIG_UNREADABLE',
  'GENERATOR_EMPTY',
  'GENERATOR_MISSING',
  'GENERATOR_SHAPE',
  'LOAD_PLAN',
  'TEMPLATE_KEY',
  'TEMPLATE_KEYS',
  'TEMPLATE_VALUES',
]);

/** The exit code for an error that ended a pipeline: a bad plan is 2, anything else 3. */
export function exitCodeFor(error: unknown): number {
  return error instanceof ToolkitError && PLAN_CODES.has(error.code) ? EXIT.badPlan : EXIT.infrastructure;
}

/** 130 for SIGINT, 143 for SIGTERM (128 + the signal's number). */
export function signalExitCode(signal: string | undefined): number {
  return signal === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint;
}
