import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BUILTIN_GENERATORS,
  loadGeneratorFactory,
  moduleCandidates,
  PROJECT_ROOT,
} from '../../../src/workload/load-generator.ts';

describe('finding generator modules', () => {
  it('tries the folder as given, then the project, then our port of the same folder name', () => {
    const files = moduleCandidates('modules/imdb', 'sequence_classification_prompts.py', '/work/elsewhere');
    expect(files[0]).toBe('/work/elsewhere/modules/imdb/sequence_classification_prompts.ts');
    expect(files).toContain(join(PROJECT_ROOT, 'modules/imdb/sequence_classification_prompts.ts'));
    expect(files.every((f) => !f.endsWith('.py'))).toBe(true);
  });

  it('maps an old absolute Python module folder to our port', async () => {
    const factory = await loadGeneratorFactory(
      '/home/ubuntu/aws-deep-learning-ami-ubuntu-dcv-desktop/gen-ai-inference-testing/modules/ms-marco',
      'reranking_pairs',
      'RerankerInputGenerator',
      'old.yaml',
      '/tmp',
    );
    expect(factory.name).toBe('RerankerInputGenerator');
  });

  it('has a module for every built-in workload', async () => {
    for (const [name, b] of Object.entries(BUILTIN_GENERATORS)) {
      const factory = await loadGeneratorFactory(b.dir, b.module, b.name, name);
      expect(typeof factory).toBe('function');
    }
  });
});
