import type { Config } from '../config/index.ts';
import type { LoopDelay } from '../metrics/event-loop-delay.ts';
import type { RequestRecord } from '../metrics/request-record.ts';
import type { LoadPlan } from './plan.ts';
import type { ScheduleShare } from './run-loop.ts';

// Messages between the parent and its worker processes (IPC, structured clone).

/** Parent to worker: prepare to run this share of the plan (client, factory), then say `ready`. */
export interface StartMessage {
  type: 'start';
  config: Config;
  plan: LoadPlan;
  share: ScheduleShare;
  workerIndex: number;
  workerCount: number;
}

/** Parent to worker: every worker is ready; the run starts at this epoch time (ms). */
export interface GoMessage {
  type: 'go';
  runStartEpochMs: number;
}

export type ParentMessage = StartMessage | GoMessage | { type: 'stop' };

export type WorkerMessage =
  | { type: 'ready'; tokenCounter: string }
  | { type: 'records'; records: RequestRecord[] }
  | { type: 'exception'; message: string }
  | { type: 'done'; eventLoop: LoopDelay }
  | { type: 'fatal'; message: string };
