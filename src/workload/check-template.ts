import type { Config } from '../config/schema.ts';
import { ToolkitError } from '../core/errors.ts';
import { templateKeyProblem } from './render-template.ts';

// Checks the template fields of a request config before any request is built, so a key that points
// nowhere is reported with the file, the field and the fix, not as a failed request.

/** Throws a ToolkitError naming `where` and the field when template / template_keys cannot work. */
export function checkTemplate(config: Config, where: string): void {
  const { template, template_keys: keys } = config;
  if (template && !keys) {
    throw new ToolkitError(`${where}: field template_keys is missing (template is set)`, {
      code: 'TEMPLATE_KEYS',
      hint: 'list the paths the generator fills, e.g. template_keys: ["model", "messages.[0].content"]',
    });
  }
  if (keys && !template) {
    throw new ToolkitError(`${where}: field template is missing (template_keys is set)`, {
      code: 'TEMPLATE_KEYS',
      hint: 'add the JSON request body as template, or remove template_keys for a synthetic workload',
    });
  }
  if (!template || !keys) return;
  if (keys.length === 0) {
    throw new ToolkitError(`${where}: field template_keys is empty`, {
      code: 'TEMPLATE_KEYS',
      hint: 'name at least one path in template that the generator fills',
    });
  }
  if (!config.module_name) {
    throw new ToolkitError(`${where}: field module_name is missing (a template needs a prompt generator)`, {
      code: 'TEMPLATE_KEYS',
      hint: 'set module_dir, module_name and prompt_generator (see modules/README.md)',
    });
  }
  keys.forEach((key, i) => {
    const problem = templateKeyProblem(template, key);
    if (problem) {
      throw new ToolkitError(`${where}: field template_keys[${i}] "${key}" points nowhere: ${problem}`, {
        code: 'TEMPLATE_KEYS',
        hint: 'write the path through template with "." between keys and [i] for list items, e.g. "messages.[0].content"',
      });
    }
  });
}
