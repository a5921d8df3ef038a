import type { RequestRecord } from './request-record.ts';
import { type Slo, StageStats } from './stage-stats.ts';

// Statistics of a whole run: one StageStats per stage; the overall figures are their merge. Warm-up
// and aborted (Ctrl-C) requests are counted apart and kept out of every metric.

export class RunStats {
  readonly stages: StageStats[];
  warmup = 0;
  aborted = 0;

  readonly slo: Slo | undefined;
  constructor(stageCount: number, slo: Slo | undefined) {
    this.slo = slo;
    this.stages = Array.from({ length: stageCount }, () => new StageStats(slo));
  }

  /** A record-bus listener. */
  add(record: RequestRecord, warmup: boolean): void {
    if (warmup) {
      this.warmup++;
      return;
    }
    if (record.error === 'aborted') {
      this.aborted++;
      return;
    }
    const stage = this.stages[record.stage] ?? this.stages[this.stages.length - 1]!;
    stage.add(record);
  }

  /** Every stage merged. */
  overall(): StageStats {
    const all = new StageStats(this.slo);
    for (const stage of this.stages) all.merge(stage);
    return all;
  }
}
