import type { Config } from '../config/schema.ts';
import { ToolkitError } from '../core/errors.ts';
import { protocolForUrl } from '../protocols/detect.ts';
import { checkTemplate } from './check-template.ts';
import { defaultBody, templateMaxTokens } from './default-body.ts';
import { createGeneratorContext, servedModel } from './generator-context.ts';
import type { PromptItem, Yielded } from './generator-types.ts';
import { BUILTIN_GENERATORS, loadGeneratorFactory, startGenerator } from './load-generator.ts';
import { modelsFromList, pickModel } from './pick-model.ts';
import { PyRandom } from './py-random.ts';
import { renderTemplate } from './render-template.ts';
import type { RequestFactory, RequestFactoryOptions, WorkItem } from './types.ts';
import { itemIndex } from './user-offset.ts';

// Builds WorkItems: from an old-style request config (template + template_keys + generator), or, with
// no template, a built-in workload (synthetic by default) in the default body of the endpoint's
// protocol. Data is opened once per process; each user starts at its own offset and wraps around.

const TOKEN_CACHE_LIMIT = 50_000;

/** The endpoint used when the config names none: the launched server's chat API. */
export function endpointFor(config: Config): string {
  return config.endpoint_url ?? `http://127.0.0.1:${config.server.host_port}/v1/chat/completions`;
}

/** A generator item in its object form. */
export function toPromptItem(yielded: Yielded): PromptItem {
  return Array.isArray(yielded) ? { values: yielded } : yielded;
}

/** The prompt text of an item (image data URLs left out), for token counting. */
export function promptText(item: PromptItem): string {
  if (item.prompt !== undefined) return item.prompt;
  if (item.messages) return item.messages.map((m) => m.content).join('\n');
  const parts: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string' && !v.startsWith('data:')) parts.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
  };
  (item.values ?? []).forEach(walk);
  return parts.join('\n');
}

/** The factory the load runner asks for requests (one per worker process). */
export async function createRequestFactory(
  config: Config,
  options: RequestFactoryOptions,
): Promise<RequestFactory> {
  const env = options.env ?? process.env;
  const where = options.configFile ?? 'request config';
  const url = endpointFor(config);
  const protocol = config.protocol ?? protocolForUrl(url);
  checkTemplate(config, where);
  const context = createGeneratorContext({ config, protocol, seed: options.seed, env, fetch: options.fetch });
  const generatorName = config.module_name
    ? `${config.module_dir ?? '.'}/${config.module_name}.${config.prompt_generator ?? ''}`
    : `workload.generator ${config.workload.generator ?? 'synthetic'}`;
  const source = await startGenerator(await findFactory(config, where), context).catch((error: unknown) => {
    throw withWhere(error, `${where}: ${generatorName}`);
  });
  const model = servedModel(config);
  const models = config.workload.models ?? modelsFromList(model);
  // Stats name: the URL's path as the old runner did; for sagemaker:// the endpoint (it has no path).
  const name = url.startsWith('sagemaker://') ? url.split('?')[0]! : new URL(url).pathname;
  const template = config.template;
  const keys = config.template_keys ?? [];
  const maxTokens = config.load.max_tokens ?? (template ? templateMaxTokens(template) : undefined);
  const cursors = new Map<number, number>();
  const pickers = new Map<number, PyRandom>();
  const tokenCache = new Map<number, number>();

  const countTokens = (index: number, item: PromptItem): number => {
    if (item.expectedInputTokens !== undefined) return item.expectedInputTokens;
    const cacheable = item.conversationId === undefined;
    const hit = cacheable ? tokenCache.get(index) : undefined;
    if (hit !== undefined) return hit;
    const count = context.tokens.count(promptText(item));
    if (cacheable && tokenCache.size < TOKEN_CACHE_LIMIT) tokenCache.set(index, count);
    return count;
  };

  const pick = (user: number, item: PromptItem): string => {
    if (item.model) return item.model;
    if (!models) return model;
    const rng = pickers.get(user) ?? new PyRandom(options.seed * 7919 + user);
    pickers.set(user, rng);
    return pickModel(models, rng);
  };

  const buildBody = (item: PromptItem, chosen: string): Record<string, unknown> => {
    let body: Record<string, unknown>;
    if (template) {
      const values = item.values ?? (item.prompt !== undefined ? [item.prompt] : []);
      body = renderTemplate(template, keys, keys.includes('model') ? [chosen, ...values] : values);
    } else {
      const first = item.values?.find((v) => typeof v === 'string') as string | undefined;
      body = defaultBody(protocol, {
        model: chosen,
        prompt: item.prompt ?? first ?? promptText(item),
        messages: item.messages,
        maxTokens: item.expectedOutputTokens ?? maxTokens,
      });
    }
    // The old runner's multi-model Triton case: the chosen model travels as a `model_id` input.
    if (models && protocol === 'triton-infer' && Array.isArray(body.inputs)) {
      // A new list: the rendered body shares what its keys did not fill with the template.
      body.inputs = [...body.inputs, { name: 'model_id', shape: [1, 1], datatype: 'BYTES', data: [chosen] }];
    }
    return body;
  };

  return {
    tokenCounter: context.tokens.name,
    async next(user: number): Promise<WorkItem> {
      const n = cursors.get(user) ?? 0;
      cursors.set(user, n + 1);
      const index = itemIndex(user, n, source.size);
      let item: PromptItem;
      let body: Record<string, unknown>;
      try {
        item = toPromptItem(await source.get(index, user));
        body = buildBody(item, pick(user, item));
      } catch (error) {
        throw withWhere(error, `${where}: ${generatorName}`);
      }
      const work: WorkItem = { url, protocol, body, name, expectedInputTokens: countTokens(index, item) };
      const output = item.expectedOutputTokens ?? maxTokens;
      if (output !== undefined) work.expectedOutputTokens = output;
      if (item.conversationId !== undefined) work.conversationId = item.conversationId;
      if (item.turn !== undefined) work.turn = item.turn;
      return work;
    },
    ...(source.done ? { done: source.done.bind(source) } : {}),
    close: async () => {
      await source.close?.();
    },
  };
}

async function findFactory(config: Config, where: string) {
  if (config.module_name) {
    if (!config.prompt_generator) {
      throw new ToolkitError(`${where}: field prompt_generator is missing`, {
        code: 'GENERATOR_MISSING',
        hint: 'name the generator the module exports, e.g. prompt_generator: "PromptGenerator"',
      });
    }
    return loadGeneratorFactory(
      config.module_dir ?? '.',
      config.module_name,
      config.prompt_generator,
      where,
      process.cwd(),
      config.load.python,
    );
  }
  const builtin = BUILTIN_GENERATORS[config.workload.generator ?? 'synthetic'];
  if (!builtin) {
    throw new ToolkitError(
      `${where}: field workload.generator "${config.workload.generator}" is not a built-in`,
      {
        code: 'GENERATOR_MISSING',
        hint: `use one of ${Object.keys(BUILTIN_GENERATORS).join(', ')}, or set module_dir/module_name/prompt_generator`,
      },
    );
  }
  return loadGeneratorFactory(builtin.dir, builtin.module, builtin.name, where);
}

function withWhere(error: unknown, where: string): unknown {
  if (error instanceof ToolkitError && !error.message.startsWith(where.split(':')[0]!)) {
    return new ToolkitError(`${where}: ${error.message}`, {
      code: error.code,
      hint: error.hint,
      cause: error,
    });
  }
  return error;
}
