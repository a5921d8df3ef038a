import { type GeneratorContext, mapRecords, type PromptSource } from '../../src/workload/index.ts';

// Port of mminstruction-m3it/mm_prompt_generator.py: MMInstruction/M3IT, task MM_DATASET_NAME
// (default visual-mrc), test split, in order. Yields ["<instruction> <inputs>", "data:image/jpeg;base64,..."].

/** Instruction text plus the first image as a data URL, for vision-language chat servers. */
export async function MultiModalPromptGenerator(context: GeneratorContext): Promise<PromptSource> {
  const task = String(context.options.task ?? context.env.MM_DATASET_NAME ?? 'visual-mrc');
  const folder = `{${task},${task.replaceAll('-', '_')}}`;
  const records = await context.openDataset({
    repo: 'MMInstruction/M3IT',
    files: [`data/**/${folder}/test*.jsonl`],
  });
  return mapRecords(records, (record) => {
    const images = record.image_base64_str;
    const image = Array.isArray(images) ? String(images[0] ?? '') : String(images ?? '');
    return [`${record.instruction} ${record.inputs}`, `data:image/jpeg;base64,${image}`];
  });
}
