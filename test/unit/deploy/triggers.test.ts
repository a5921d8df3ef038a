import { access, constants, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

// The ready-made triggers in deploy/: the SSM Command document against the fields of SSM's document
// schema 2.2, and the cron and systemd files against the script they start.

const doc = JSON.parse(await readFile('deploy/ssm/gait-pipeline.json', 'utf8')) as {
  schemaVersion: string;
  description: string;
  parameters: Record<
    string,
    { type: string; description: string; default?: string; allowedPattern?: string }
  >;
  mainSteps: { action: string; name: string; inputs: { runCommand: string[]; timeoutSeconds?: string } }[];
};

describe('deploy/ssm/gait-pipeline.json', () => {
  it('is a schema 2.2 Command document with only the fields that schema knows', () => {
    expect(doc.schemaVersion).toBe('2.2');
    expect(Object.keys(doc).sort()).toEqual(['description', 'mainSteps', 'parameters', 'schemaVersion']);
    for (const [name, p] of Object.entries(doc.parameters)) {
      expect(name).toMatch(/^[A-Za-z0-9_]+$/);
      expect(['String', 'StringList', 'Integer', 'Boolean', 'MapList', 'StringMap']).toContain(p.type);
      for (const key of Object.keys(p))
        expect(['type', 'description', 'default', 'allowedPattern']).toContain(key);
      if (p.allowedPattern && p.default !== undefined)
        expect(p.default).toMatch(new RegExp(p.allowedPattern));
    }
    expect(doc.mainSteps).toHaveLength(1);
    const step = doc.mainSteps[0]!;
    expect(step.action).toBe('aws:runShellScript');
    expect(step.name).toMatch(/^[A-Za-z0-9_.-]+$/);
    expect(Array.isArray(step.inputs.runCommand)).toBe(true);
  });

  it('uses only declared parameters, validated so they cannot break out of their quotes', () => {
    const text = JSON.stringify(doc.mainSteps);
    const used = [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!);
    expect(new Set(used)).toEqual(new Set(Object.keys(doc.parameters)));
    for (const p of Object.values(doc.parameters)) {
      expect(p.allowedPattern, 'every parameter has a pattern').toBeDefined();
      expect("a'b").not.toMatch(new RegExp(p.allowedPattern!));
    }
    expect('config/pipeline/example.yaml').toMatch(new RegExp(doc.parameters.Plan!.allowedPattern!));
  });

  it('execs the pipeline script, so the SSM timeout signal reaches it', () => {
    expect(doc.mainSteps[0]!.inputs.runCommand.at(-1)).toBe("exec ./scripts/pipeline.mts '{{ Plan }}'");
  });
});

describe('cron and systemd', () => {
  it('start the executable script directly, never through npm', async () => {
    await access('scripts/pipeline.mts', constants.X_OK);
    expect((await readFile('scripts/pipeline.mts', 'utf8')).split('\n')[0]).toBe('#!/usr/bin/env node');
    const cron = await readFile('deploy/cron/gait-pipeline.crontab', 'utf8');
    const line = cron.split('\n').find((l) => /^\S+ \S+ \S+ \S+ \S+ /.test(l) && !l.startsWith('#'))!;
    expect(line).toMatch(/^0 2 \* \* \* cd \S+ && \.\/scripts\/pipeline\.mts \S+\.yaml/);
    const service = await readFile('deploy/systemd/gait-pipeline.service', 'utf8');
    expect(service).toMatch(/^ExecStart=\S+\/scripts\/pipeline\.mts \S+\.yaml$/m);
    expect(service).toMatch(/^KillSignal=SIGTERM$/m);
    expect(service).not.toMatch(/npm|npx/);
    const timer = await readFile('deploy/systemd/gait-pipeline.timer', 'utf8');
    expect(timer).toMatch(/^OnCalendar=/m);
  });
});
