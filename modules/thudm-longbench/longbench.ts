import type { DatasetSpec } from '../../src/workload/index.ts';

// THUDM/LongBench: one JSON Lines file per task inside the repository's data.zip. Unzip data.zip into
// the dataset folder (or the cache snapshot) so data/<task>.jsonl exists; zip files are not read.

/** The LongBench tasks the old generator chose from. */
export const LONGBENCH_TASKS = [
  'narrativeqa',
  'qasper',
  'multifieldqa_en',
  'multifieldqa_zh',
  'hotpotqa',
  '2wikimqa',
  'musique',
  'dureader',
  'gov_report',
  'qmsum',
  'multi_news',
  'vcsum',
  'trec',
  'triviaqa',
  'samsum',
  'lsht',
  'passage_count',
  'passage_retrieval_en',
  'passage_retrieval_zh',
  'lcc',
  'repobench-p',
];

/** The file of one LongBench task. */
export function longBenchSpec(task: string): DatasetSpec {
  return { repo: 'THUDM/LongBench', files: [`**/${task}.jsonl`] };
}
