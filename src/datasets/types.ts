// What every dataset reader gives the prompt generators: random access by row index plus a streaming
// scan, so a large file is indexed once per process and never loaded whole.

/** One row of a dataset, as its file stores it (a JSON object, a CSV row, a Parquet row). */
export type DataRecord = Record<string, unknown>;

/** Rows of one dataset file, opened once per worker process. */
export interface RecordSource {
  /** The file the rows come from. */
  readonly path: string;
  /** Number of rows. */
  readonly size: number;
  /** Row `index` (0-based, < size). */
  get(index: number): Promise<DataRecord>;
  /** Every row in file order, streamed. */
  scan(): AsyncIterable<DataRecord>;
  close(): Promise<void>;
}

/** File formats the readers understand. */
export type DataFormat = 'jsonl' | 'json' | 'csv' | 'parquet';
