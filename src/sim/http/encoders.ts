import { createRng } from '../../core/random.ts';
import { hashString } from '../rng.ts';
import type { GenFormat, GenRequest, GenResult } from './generation.ts';

// Encoder endpoints (vLLM embeddings / rerank / score / classify, Triton KServe v2 infer): parsed into
// a prefill-only GenRequest, answered with deterministic vectors and scores derived from the text.

type Parsed = { gen: GenRequest; format: GenFormat } | string;

function encoderGen(texts: readonly string[]): GenRequest {
  return {
    prompt: texts.join('\n'),
    extraPromptTokens: 0,
    maxTokens: undefined,
    defaultMaxTokens: 0,
    minTokens: 0,
    ignoreEos: false,
    generates: false,
  };
}

/** A unit vector derived from the text and seed. */
export function embeddingOf(text: string, dim: number, seed: number): number[] {
  const random = createRng(hashString(text, seed >>> 0));
  const v = new Array<number>(dim);
  let norm = 0;
  for (let i = 0; i < dim; i++) {
    const x = random() * 2 - 1;
    v[i] = x;
    norm += x * x;
  }
  const scale = 1 / Math.sqrt(norm || 1);
  for (let i = 0; i < dim; i++) v[i] = Math.round(v[i]! * scale * 1e6) / 1e6;
  return v;
}

/** A relevance score in (0, 1) for a query/document pair. */
export function scoreOf(a: string, b: string, seed: number): number {
  return Math.round(createRng(hashString(`${a}\u0000${b}`, seed >>> 0))() * 1e6) / 1e6;
}

function usage(r: GenResult) {
  return {
    prompt_tokens: r.promptTokens,
    total_tokens: r.promptTokens,
    completion_tokens: 0,
    prompt_tokens_details: null,
  };
}

function stringList(value: unknown, field: string): string[] | string {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string'))
    return value as string[];
  if (value === undefined) return `Field required: ${field}`;
  return `${field} must be a string or a non-empty list of strings.`;
}

/** POST /v1/embeddings. */
export function parseEmbeddings(
  body: Record<string, unknown>,
  model: string,
  dim: number,
  seed: number,
): Parsed {
  let input = body.input;
  let tokenIds = 0;
  if (Array.isArray(input) && input.length > 0 && input.every((t) => Number.isInteger(t))) {
    tokenIds = input.length;
    input = input.join(' ');
  }
  const texts = stringList(input, 'input');
  if (typeof texts === 'string') return texts;
  const gen = encoderGen(tokenIds ? [] : texts);
  gen.extraPromptTokens = tokenIds;
  return {
    gen,
    format: {
      family: 'openai',
      body: (r) => ({
        id: `embd-${r.id}`,
        object: 'list',
        created: r.created,
        model,
        data: texts.map((t, index) => ({ index, object: 'embedding', embedding: embeddingOf(t, dim, seed) })),
        usage: usage(r),
      }),
    },
  };
}

/** POST /rerank, /v1/rerank, /v2/rerank (Jina/Cohere style, as vLLM serves it). */
export function parseRerank(body: Record<string, unknown>, model: string, seed: number): Parsed {
  if (typeof body.query !== 'string')
    return body.query === undefined ? 'Field required: query' : 'query must be a string.';
  const docs = body.documents;
  if (!Array.isArray(docs) || docs.length === 0) return 'documents must be a non-empty list.';
  const texts: string[] = [];
  for (const d of docs) {
    const text = typeof d === 'string' ? d : (d as { text?: unknown } | null)?.text;
    if (typeof text !== 'string') return 'documents must be strings or objects with a text field.';
    texts.push(text);
  }
  const query = body.query;
  const topN = typeof body.top_n === 'number' && body.top_n > 0 ? body.top_n : texts.length;
  const gen = encoderGen(texts.map((t) => `${query}\n${t}`));
  return {
    gen,
    format: {
      family: 'openai',
      body: (r) => ({
        id: `rerank-${r.id}`,
        model,
        usage: { total_tokens: r.promptTokens },
        results: texts
          .map((text, index) => ({ index, document: { text }, relevance_score: scoreOf(query, text, seed) }))
          .sort((a, b) => b.relevance_score - a.relevance_score)
          .slice(0, topN),
      }),
    },
  };
}

/** POST /score, /v1/score: text_1 against each of text_2 (also queries/documents). */
export function parseScore(body: Record<string, unknown>, model: string, seed: number): Parsed {
  const a = stringList(body.text_1 ?? body.queries, 'text_1');
  if (typeof a === 'string') return a;
  const b = stringList(body.text_2 ?? body.documents, 'text_2');
  if (typeof b === 'string') return b;
  if (a.length !== 1 && a.length !== b.length) return 'text_1 must be one string or as long as text_2.';
  const pairs = b.map((t, i) => [a.length === 1 ? a[0]! : a[i]!, t] as const);
  return {
    gen: encoderGen(pairs.map(([x, y]) => `${x}\n${y}`)),
    format: {
      family: 'openai',
      body: (r) => ({
        id: `score-${r.id}`,
        object: 'list',
        created: r.created,
        model,
        data: pairs.map(([x, y], index) => ({ index, object: 'score', score: scoreOf(x, y, seed) })),
        usage: usage(r),
      }),
    },
  };
}

/** POST /classify, /v1/classify: two classes, probabilities from the text. */
export function parseClassify(body: Record<string, unknown>, model: string, seed: number): Parsed {
  const texts = stringList(body.input, 'input');
  if (typeof texts === 'string') return texts;
  return {
    gen: encoderGen(texts),
    format: {
      family: 'openai',
      body: (r) => ({
        id: `classify-${r.id}`,
        object: 'list',
        created: r.created,
        model,
        data: texts.map((t, index) => {
          const p = scoreOf(t, '', seed);
          return { index, label: p >= 0.5 ? 'LABEL_1' : 'LABEL_0', probs: [1 - p, p], num_classes: 2 };
        }),
        usage: usage(r),
      }),
    },
  };
}

interface Tensor {
  name: string;
  shape: number[];
  datatype: string;
  data: unknown[];
}

function flatStrings(data: unknown[], out: string[]): boolean {
  for (const item of data) {
    if (typeof item === 'string') out.push(item);
    else if (Array.isArray(item)) {
      if (!flatStrings(item, out)) return false;
    } else if (typeof item !== 'number' && typeof item !== 'boolean') return false;
  }
  return true;
}

/** POST /v2/models/{m}/infer (KServe v2, BYTES tensors as the request configs send them). */
export function parseTritonInfer(
  body: Record<string, unknown>,
  modelName: string,
  dim: number,
  seed: number,
): Parsed {
  const inputs = body.inputs;
  if (!Array.isArray(inputs) || inputs.length === 0) return "missing or empty 'inputs' in the request JSON";
  const byName = new Map<string, string[]>();
  const all: string[] = [];
  for (const [i, raw] of inputs.entries()) {
    const t = raw as Partial<Tensor> | null;
    if (!t || typeof t.name !== 'string') return `input ${i}: missing 'name'`;
    if (typeof t.datatype !== 'string') return `input '${t.name}': missing 'datatype'`;
    if (!Array.isArray(t.shape)) return `input '${t.name}': missing 'shape'`;
    if (!Array.isArray(t.data)) return `input '${t.name}': missing 'data'`;
    const strings: string[] = [];
    if (!flatStrings(t.data, strings)) return `input '${t.name}': data must hold strings or numbers`;
    byName.set(t.name, strings);
    all.push(...strings);
  }
  const query = byName.get('query')?.[0];
  const texts = byName.get('texts');
  const requested = Array.isArray(body.outputs)
    ? (body.outputs as { name?: unknown }[])
        .map((o) => o?.name)
        .filter((n): n is string => typeof n === 'string')
    : [];
  const first = [...byName.values()][0] ?? [];
  const outputs = (r: GenResult): Tensor[] => {
    void r;
    if (query !== undefined && texts) {
      const scores = texts.map((t) => scoreOf(query, t, seed));
      return (requested.length ? requested : ['scores']).map((name) => ({
        name,
        datatype: 'FP32',
        shape: [scores.length],
        data: scores,
      }));
    }
    const rows = first.length || 1;
    const data: number[] = [];
    for (let i = 0; i < rows; i++) data.push(...embeddingOf(first[i] ?? '', dim, seed));
    return (requested.length ? requested : ['embeddings']).map((name) => ({
      name,
      datatype: 'FP32',
      shape: [rows, dim],
      data,
    }));
  };
  return {
    gen: encoderGen(all),
    format: {
      family: 'triton',
      body: (r) => ({
        ...(typeof body.id === 'string' ? { id: body.id } : {}),
        model_name: modelName,
        model_version: '1',
        outputs: outputs(r),
      }),
    },
  };
}
