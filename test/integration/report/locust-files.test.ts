import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoadTest } from '../../../src/load/run-load-test.ts';
import { LOCUST_HISTORY_COLUMNS, LOCUST_STATS_COLUMNS } from '../../../src/report/columns.ts';
import { type SimulatorHandle, startSimulator } from '../../../src/sim/start-simulator.ts';
import { readCsv, testConfig } from '../load/helpers.ts';

// The old notebooks read `<prefix>_stats.csv` with pandas.read_csv and picked the `Aggregated` row's
// Locust columns. Python's csv module reads the file the same way (header row, RFC 4180 quoting).

const READ_LIKE_THE_NOTEBOOK = `
import csv, json, sys
prefix = sys.argv[1]
with open(prefix + "_stats.csv", newline="") as f:
    rows = list(csv.DictReader(f))
agg = [r for r in rows if r["Name"] == "Aggregated"][0]
with open(prefix + "_stats_history.csv", newline="") as f:
    history = list(csv.DictReader(f))
print(json.dumps({"columns": list(rows[0].keys()), "names": [r["Name"] for r in rows], "agg": agg,
                  "history": len(history), "timestamps": [int(h["Timestamp"]) for h in history]}))
`;

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 10, itlMs: 5, seed: 1 });
});
afterAll(() => sim.close());

function hasPython(): boolean {
  try {
    execFileSync('python3', ['--version']);
    return true;
  } catch {
    return false;
  }
}

describe('Locust-compatible files', () => {
  it('read as the old notebook read them, with figures that match the summary', async () => {
    const config = testConfig(`${sim.url}/v1/chat/completions`, {
      users: 3,
      spawn_rate: 100,
      duration: '2.5s',
      max_tokens: 6,
    });
    const result = await runLoadTest(config);
    const total = result.summary.overall.requests.total;
    expect(total).toBeGreaterThan(20);

    const stats = readCsv(result.files.stats);
    expect(stats.header).toEqual([...LOCUST_STATS_COLUMNS]);
    expect(stats.rows.map((r) => r.Name)).toEqual(['/v1/chat/completions', 'Aggregated']);
    const agg = stats.rows[1]!;
    expect(agg.Type).toBe('');
    expect(stats.rows[0]!.Type).toBe('POST');
    expect(Number(agg['Request Count'])).toBe(total);
    expect(Number(agg['Failure Count'])).toBe(0);
    const e2e = result.summary.overall.latency.e2e_ms;
    expect(Number(agg['Average Response Time'])).toBeCloseTo(e2e.mean!, 1);
    expect(Number(agg['Min Response Time'])).toBeCloseTo(e2e.min!, 1);
    expect(Number(agg['Max Response Time'])).toBeCloseTo(e2e.max!, 1);
    expect(Number(agg['50%'])).toBe(Math.round(e2e.p50!));
    expect(Number(agg['Requests/s'])).toBeGreaterThan(0);
    expect(Number(agg['Average Content Size'])).toBeGreaterThan(0);

    const history = readCsv(result.files.history);
    expect(history.header).toEqual([...LOCUST_HISTORY_COLUMNS]);
    expect(history.rows.length).toBeGreaterThanOrEqual(2);
    expect(history.rows.every((r) => r.Name === 'Aggregated' && r['User Count'] === '3')).toBe(true);

    if (!hasPython()) return;
    const read = JSON.parse(
      execFileSync('python3', ['-c', READ_LIKE_THE_NOTEBOOK, result.prefix], { encoding: 'utf8' }),
    );
    expect(read.columns).toEqual([...LOCUST_STATS_COLUMNS]);
    expect(read.names).toEqual(['/v1/chat/completions', 'Aggregated']);
    expect(Number(read.agg['Request Count'])).toBe(total);
    expect(read.history).toBe(history.rows.length);
    expect(read.timestamps).toEqual([...read.timestamps].sort());
  });
});
