// One step of a continuous-batching engine, planned as a pure function: every running sequence that
// has finished its prefill decodes one token; the remaining token budget goes to prefill chunks in
// admission order (chunked prefill). The step's time is a base, plus a cost per sequence in the
// batch, plus the prefill tokens at the prefill rate.
export interface StepSeqState {
  /** Prompt tokens still to prefill (0 once the first token is out). */
  prefillLeft: number;
  /** A stalled sequence sits out steps until this time. */
  stalledUntil: number;
}

/** The engine options a step plan depends on. */
export interface StepParams {
  maxBatchedTokens: number;
  decodeBaseMs: number;
  decodePerSeqMs: number;
  prefillTokensPerSec: number;
}

/** What one step does and how long it takes. */
export interface StepPlan {
  /** Indexes (into the running list) of sequences that decode one token. */
  decode: number[];
  /** Indexes and prefill chunk sizes of sequences that prefill this step. */
  prefill: { index: number; tokens: number }[];
  /** How long the step takes; 0 when nothing can run. */
  durationMs: number;
}

/** Plans the next step for `running` (in admission order) at time `now`. */
export function planStep(running: readonly StepSeqState[], now: number, p: StepParams): StepPlan {
  const decode: number[] = [];
  const prefill: { index: number; tokens: number }[] = [];
  for (let i = 0; i < running.length; i++) {
    const seq = running[i]!;
    if (seq.prefillLeft === 0 && seq.stalledUntil <= now) decode.push(i);
  }
  let budget = p.maxBatchedTokens - decode.length;
  let prefillTokens = 0;
  for (let i = 0; i < running.length && budget > 0; i++) {
    const seq = running[i]!;
    if (seq.prefillLeft === 0 || seq.stalledUntil > now) continue;
    const tokens = Math.min(seq.prefillLeft, budget);
    prefill.push({ index: i, tokens });
    budget -= tokens;
    prefillTokens += tokens;
  }
  const batch = decode.length + prefill.length;
  const durationMs =
    batch === 0
      ? 0
      : p.decodeBaseMs + p.decodePerSeqMs * batch + (prefillTokens * 1000) / p.prefillTokensPerSec;
  return { decode, prefill, durationMs };
}
