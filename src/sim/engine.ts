import type { EngineGauges, SimMetrics } from './metrics.ts';
import { MinHeap } from './min-heap.ts';
import { isDeterministic, type SimOptions } from './options.ts';
import { PrefixCache } from './prefix-cache.ts';
import { planStep, type StepParams } from './step-plan.ts';
import { WakeTimer } from './wake-timer.ts';

// The model of a continuous-batching engine. Sequences wait in a FIFO queue until a slot
// (maxNumSeqs) and KV-cache room (prompt + output tokens, reserved for the whole run) are free.
// ONE timer drives everything:
// - timing model: the timer fires at the end of each engine step; the tokens of every sequence in
//   the step's batch come out together, finished sequences leave, waiting ones join, and the next
//   step is planned (planStep);
// - deterministic mode (ttftMs / itlMs): each sequence's token i is due at admission + ttft + i*itl;
//   the timer fires at the earliest due time and releases every token due by then.
export type EngineOptions = Pick<
  SimOptions,
  | 'maxNumSeqs'
  | 'kvCacheTokens'
  | 'blockSize'
  | 'prefixCaching'
  | 'prefillTokensPerSec'
  | 'decodeBaseMs'
  | 'decodePerSeqMs'
  | 'maxBatchedTokens'
  | 'ttftMs'
  | 'itlMs'
>;

/** Where a sequence's progress goes (the HTTP handler that streams it). */
export interface SeqSink {
  /** Token number `index` (0 = first) is ready at `now`. */
  onToken(index: number, now: number): void;
  /** The sequence is complete: after its last token, or after prefill for encoders. */
  onFinish(now: number): void;
}

/** One request as the engine sees it. */
export interface SeqInput {
  promptTokens: number;
  /** Prefix-cache keys of the prompt's full blocks. */
  blockKeys: readonly number[];
  /** Tokens to generate; 0 for encoder requests (prefill only). */
  outputTokens: number;
  /** Reported in vllm:request_success_total. */
  finishReason: 'length' | 'stop';
  /** When the request arrived (performance.now()); default: when submitted. */
  arrivedAt?: number | undefined;
  /** Pause this long after this many tokens (fault injection). */
  stall?: { afterTokens: number; ms: number } | undefined;
  sink: SeqSink;
}

/** A submitted request; cancel() frees its slot (client went away). */
export interface SeqHandle {
  cancel(): void;
}

const WAITING = 0;
const RUNNING = 1;
const DONE = 2;
/** Deterministic mode releases tokens due within this much of now (timers have 1 ms granularity). */
const EARLY_SLACK_MS = 0.3;
/** Light load (at most this many running) gets sub-millisecond timing; under heavy load spinning would only burn CPU. */
const PRECISE_MAX_RUNNING = 64;

class Seq implements SeqHandle {
  state = WAITING;
  prefillLeft = 0;
  stalledUntil = 0;
  emitted = 0;
  due = 0;
  firstAt = 0;
  lastAt = 0;
  reserved = 0;
  /** Set when the sequence had to wait: its clock then starts at admission, not arrival. */
  queued = false;

  private readonly engine: Engine;
  readonly input: SeqInput;
  readonly arrival: number;
  constructor(engine: Engine, input: SeqInput, arrival: number) {
    this.engine = engine;
    this.input = input;
    this.arrival = arrival;
  }

  cancel(): void {
    this.engine.cancel(this);
  }
}

/** The engine: a queue, running sequences, the KV cache, prefix cache and the one timer. */
export class Engine {
  private readonly deterministic: boolean;
  private readonly ttftMs: number;
  private readonly itlMs: number;
  private readonly params: StepParams;
  private readonly cache: PrefixCache;
  private waiting: Seq[] = [];
  private waitHead = 0;
  private waitingCount = 0;
  private runningCount = 0;
  private running: Seq[] = [];
  private readonly heap = new MinHeap<Seq>((s) => s.due);
  private kvUsed = 0;
  private readonly timer: WakeTimer;
  /** Timing model: the step in progress (undefined when idle). */
  private step: { end: number; decode: Seq[]; prefill: { seq: Seq; tokens: number }[] } | undefined;
  private closed = false;

  private readonly options: EngineOptions;
  private readonly metrics: SimMetrics;
  private readonly clock: () => number;
  constructor(options: EngineOptions, metrics: SimMetrics, clock: () => number = () => performance.now()) {
    this.options = options;
    this.metrics = metrics;
    this.clock = clock;
    this.deterministic = isDeterministic(options);
    this.ttftMs = options.ttftMs ?? options.itlMs ?? 0;
    this.itlMs = options.itlMs ?? options.ttftMs ?? 0;
    this.params = options;
    this.cache = new PrefixCache(Math.floor(options.kvCacheTokens / options.blockSize));
    this.timer = new WakeTimer(clock);
  }

  /** Queues a request; it runs as soon as a slot and KV room are free. */
  submit(input: SeqInput): SeqHandle {
    const now = this.clock();
    const seq = new Seq(this, input, Math.min(now, input.arrivedAt ?? now));
    this.waiting.push(seq);
    this.waitingCount++;
    if (this.closed) return seq;
    if (this.deterministic) {
      this.admitWaiting(now);
      this.armDeterministic();
    } else if (!this.step || (this.step.decode.length === 0 && this.step.prefill.length === 0)) {
      // Idle, or only waiting for stalled sequences: start a step for the newcomer now.
      this.disarm();
      this.admitWaiting(now);
      this.startStep(now, now);
    }
    if (seq.state === WAITING) seq.queued = true;
    return seq;
  }

  /** Gauges for /metrics. */
  gauges(): EngineGauges {
    return {
      running: this.runningCount,
      waiting: this.waitingCount,
      kvUsage: this.kvUsed / this.options.kvCacheTokens,
    };
  }

  /** Stops the timer; requests in flight get no more tokens. */
  close(): void {
    this.closed = true;
    this.disarm();
  }

  /** Frees a waiting or running sequence (called through SeqHandle.cancel). */
  cancel(seq: Seq): void {
    if (seq.state === DONE) return;
    if (seq.state === WAITING) {
      seq.state = DONE;
      this.waitingCount--;
      return;
    }
    this.release(seq);
    this.metrics.recordFinish('abort');
    if (this.deterministic && !this.closed) {
      this.admitWaiting(this.clock());
      this.armDeterministic();
    }
  }

  private release(seq: Seq): void {
    seq.state = DONE;
    this.runningCount--;
    this.kvUsed -= seq.reserved;
  }

  private admitWaiting(now: number): void {
    const { maxNumSeqs, kvCacheTokens } = this.options;
    while (this.waitHead < this.waiting.length) {
      const seq = this.waiting[this.waitHead]!;
      if (seq.state === DONE) {
        this.waitHead++;
        continue;
      }
      if (this.runningCount >= maxNumSeqs) break;
      const need = seq.input.promptTokens + seq.input.outputTokens;
      if (this.kvUsed + need > kvCacheTokens && this.runningCount > 0) break;
      this.waitHead++;
      this.waitingCount--;
      this.admit(seq, need, now);
    }
    if (this.waitHead > 1024 && this.waitHead * 2 > this.waiting.length) {
      this.waiting = this.waiting.slice(this.waitHead);
      this.waitHead = 0;
    }
  }

  private admit(seq: Seq, need: number, now: number): void {
    const { promptTokens, blockKeys } = seq.input;
    seq.state = RUNNING;
    seq.reserved = need;
    this.kvUsed += need;
    this.runningCount++;
    const m = this.metrics;
    m.queueTime.observe((now - seq.arrival) / 1000);
    let hits = 0;
    if (this.options.prefixCaching && blockKeys.length > 0) {
      hits = Math.min(this.cache.lookupAndInsert(blockKeys) * this.options.blockSize, promptTokens - 1);
      hits = Math.max(0, hits);
    }
    m.promptTokens += promptTokens;
    m.prefixQueries += promptTokens;
    m.prefixHits += hits;
    seq.prefillLeft = Math.max(1, promptTokens - hits);
    if (this.deterministic) {
      seq.due = (seq.queued ? now : seq.arrival) + this.ttftMs;
      this.heap.push(seq);
    } else {
      this.running.push(seq);
    }
  }

  private emit(seq: Seq, now: number, scheduled: number): void {
    const m = this.metrics;
    const index = seq.emitted++;
    m.generationTokens++;
    m.recordTokenLag(now - scheduled);
    if (index === 0) {
      seq.firstAt = now;
      m.ttft.observe((now - seq.arrival) / 1000);
    } else {
      m.itl.observe((now - seq.lastAt) / 1000);
    }
    seq.lastAt = now;
    seq.input.sink.onToken(index, now);
    if (seq.state !== RUNNING) return;
    if (seq.emitted >= seq.input.outputTokens) this.finish(seq, now);
    else if (seq.input.stall && seq.emitted === seq.input.stall.afterTokens) {
      if (this.deterministic) seq.due += seq.input.stall.ms;
      else seq.stalledUntil = now + seq.input.stall.ms;
    }
  }

  private finish(seq: Seq, now: number): void {
    this.release(seq);
    const m = this.metrics;
    m.e2e.observe((now - seq.arrival) / 1000);
    if (seq.emitted > 1) m.tpot.observe((seq.lastAt - seq.firstAt) / 1000 / (seq.emitted - 1));
    m.recordFinish(seq.input.finishReason);
    seq.input.sink.onFinish(now);
  }

  // --- timing model: one timer per engine step ---

  private startStep(start: number, now: number): void {
    const plan = planStep(this.running, now, this.params);
    if (plan.durationMs === 0) {
      // Nothing can run: idle, or every running sequence is stalled (wake at the first to resume).
      let wake = Number.POSITIVE_INFINITY;
      for (const seq of this.running) if (seq.stalledUntil < wake) wake = seq.stalledUntil;
      this.step = Number.isFinite(wake) ? { end: wake, decode: [], prefill: [] } : undefined;
      if (this.step) this.arm(wake, this.onStepEnd);
      return;
    }
    // Keep to the ideal timeline unless more than a whole step behind.
    const begin = now - start > plan.durationMs ? now : start;
    const running = this.running;
    this.step = {
      end: begin + plan.durationMs,
      decode: plan.decode.map((i) => running[i]!),
      prefill: plan.prefill.map(({ index, tokens }) => ({ seq: running[index]!, tokens })),
    };
    this.arm(this.step.end, this.onStepEnd);
  }

  private readonly onStepEnd = (): void => {
    const step = this.step;
    if (!step || this.closed) return;
    const now = this.clock();
    if (step.end - now > EARLY_SLACK_MS) {
      this.arm(step.end, this.onStepEnd);
      return;
    }
    this.metrics.recordLag(now - step.end);
    for (const seq of step.decode) if (seq.state === RUNNING) this.emit(seq, now, step.end);
    for (const { seq, tokens } of step.prefill) {
      if (seq.state !== RUNNING) continue;
      seq.prefillLeft -= tokens;
      if (seq.prefillLeft > 0) continue;
      seq.prefillLeft = 0;
      if (seq.input.outputTokens === 0) this.finish(seq, now);
      else this.emit(seq, now, step.end);
    }
    if (this.running.some((s) => s.state !== RUNNING)) {
      this.running = this.running.filter((s) => s.state === RUNNING);
    }
    this.admitWaiting(now);
    this.startStep(step.end, now);
  };

  // --- deterministic mode: one timer at the earliest due token ---

  private armDeterministic(): void {
    const top = this.heap.peek();
    if (top) this.arm(top.due, this.onDue);
  }

  private readonly onDue = (): void => {
    if (this.closed) return;
    const now = this.clock();
    const heap = this.heap;
    let top = heap.peek();
    if (top && top.due <= now + EARLY_SLACK_MS) this.metrics.recordLag(now - top.due);
    let freed = false;
    while (top && top.due <= now + EARLY_SLACK_MS) {
      heap.pop();
      if (top.state === RUNNING) {
        if (top.input.outputTokens === 0) this.finish(top, now);
        else this.emit(top, now, top.due);
        if (top.state === RUNNING) {
          top.due += this.itlMs;
          heap.push(top);
        } else freed = true;
      }
      top = heap.peek();
    }
    if (freed) this.admitWaiting(now);
    this.armDeterministic();
  };

  private arm(at: number, fire: () => void): void {
    if (!this.closed) this.timer.arm(at, fire, this.runningCount <= PRECISE_MAX_RUNNING);
  }

  private disarm(): void {
    this.timer.disarm();
  }
}
