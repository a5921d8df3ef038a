import { type GeneratorContext, mapRecords, type PromptSource } from '../../src/workload/index.ts';

// Port of nicholasKluge-toxic-text/llama_guard3_prompt_generator.py: nicholasKluge/toxic-text, english
// split, in order; each toxic text in the Llama Guard 3 safety-classification prompt, with the old
// template's exact text and indentation. Yields [prompt].

const CATEGORIES = [
  'S1: Violent Crimes.',
  'S2: Non-Violent Crimes.',
  'S3: Sex Crimes.',
  'S4: Child Exploitation.',
  'S5: Defamation.',
  'S6: Specialized Advice.',
  'S7: Privacy.',
  'S8: Intellectual Property.',
  'S9: Indiscriminate Weapons.',
  'S10: Hate.',
  'S11: Self-Harm.',
  'S12: Sexual Content.',
  'S13: Elections.',
  'S14: Code Interpreter Abuse.',
];

/** The Llama Guard 3 prompt around `toxic`. */
export function llamaGuard3Prompt(toxic: string): string {
  const pad = '    ';
  return [
    '<|begin_of_text|><|start_header_id|>user<|end_header_id|>',
    '',
    `${pad}Task: Check if there is unsafe content in 'Agent' messages in conversations according our safety policy with the below categories.`,
    '',
    `${pad}<BEGIN UNSAFE CONTENT CATEGORIES>`,
    ...CATEGORIES.map((c) => pad + c),
    `${pad}<END UNSAFE CONTENT CATEGORIES>`,
    '',
    `${pad}<BEGIN CONVERSATION>`,
    '',
    `${pad}${toxic}`,
    '',
    `${pad}<END CONVERSATION>`,
    '',
    `${pad}Provide your safety assessment for ONLY THE LAST 'Agent' message in the above conversation:`,
    `${pad}- First line must read 'safe' or 'unsafe'.`,
    `${pad}- If unsafe, a second line must include a comma-separated list of violated categories.<|eot_id|><|start_header_id|>assistant<|end_header_id|>`,
    pad,
  ].join('\n');
}

/** Safety-classification prompts for Llama Guard 3. */
export async function PromptGenerator(context: GeneratorContext): Promise<PromptSource> {
  const records = await context.openDataset({
    repo: 'nicholasKluge/toxic-text',
    files: ['data/english-*.parquet'],
  });
  return mapRecords(records, (record) => [llamaGuard3Prompt(String(record.toxic ?? ''))]);
}
