import type { GenFormat, GenResult } from './generation.ts';

// vLLM's OpenAI-compatible reply shapes: SSE chunks built by concatenation (the token texts need no
// escaping), final usage chunk when asked, then `data: [DONE]`.

function usage(r: GenResult) {
  return {
    prompt_tokens: r.promptTokens,
    total_tokens: r.promptTokens + r.outputTokens,
    completion_tokens: r.outputTokens,
    prompt_tokens_details: null,
  };
}

/** /v1/completions replies. */
export function completionFormat(model: string, stream: boolean, includeUsage: boolean): GenFormat {
  const m = JSON.stringify(model);
  let pre = '';
  const format: GenFormat = {
    family: 'openai',
    body: (r) => ({
      id: `cmpl-${r.id}`,
      object: 'text_completion',
      created: r.created,
      model,
      choices: [
        {
          index: 0,
          text: r.text,
          logprobs: null,
          finish_reason: r.finishReason,
          stop_reason: null,
          prompt_logprobs: null,
        },
      ],
      usage: usage(r),
    }),
  };
  if (stream) {
    format.stream = {
      contentType: 'text/event-stream; charset=utf-8',
      token(text, _index, last, r) {
        if (!pre)
          pre = `data: {"id":"cmpl-${r.id}","object":"text_completion","created":${r.created},"model":${m},"choices":[{"index":0,"text":"`;
        return last
          ? `${pre}${text}","logprobs":null,"finish_reason":"${r.finishReason}","stop_reason":null}]}\n\n`
          : `${pre}${text}","logprobs":null,"finish_reason":null,"stop_reason":null}]}\n\n`;
      },
      end(r) {
        const tail = includeUsage
          ? `data: ${JSON.stringify({ id: `cmpl-${r.id}`, object: 'text_completion', created: r.created, model, choices: [], usage: usage(r) })}\n\n`
          : '';
        return `${tail}data: [DONE]\n\n`;
      },
    };
  }
  return format;
}

/** /v1/chat/completions replies (also /invocations with messages, as DJL LMI answers them). */
export function chatFormat(
  model: string,
  stream: boolean,
  includeUsage: boolean,
  family: 'openai' | 'djl' = 'openai',
): GenFormat {
  const m = JSON.stringify(model);
  let pre = '';
  const format: GenFormat = {
    family,
    body: (r) => ({
      id: `chatcmpl-${r.id}`,
      object: 'chat.completion',
      created: r.created,
      model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: r.text, reasoning_content: null, tool_calls: [] },
          logprobs: null,
          finish_reason: r.finishReason,
          stop_reason: null,
        },
      ],
      usage: usage(r),
      prompt_logprobs: null,
    }),
  };
  if (stream) {
    const begin = (r: GenResult) =>
      `data: {"id":"chatcmpl-${r.id}","object":"chat.completion.chunk","created":${r.created},"model":${m},"choices":[{"index":0,"delta":{`;
    format.stream = {
      contentType: 'text/event-stream; charset=utf-8',
      head: (r) => `${begin(r)}"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}\n\n`,
      token(text, _index, last, r) {
        if (!pre) pre = `${begin(r)}"content":"`;
        return last
          ? `${pre}${text}"},"logprobs":null,"finish_reason":"${r.finishReason}","stop_reason":null}]}\n\n`
          : `${pre}${text}"},"logprobs":null,"finish_reason":null}]}\n\n`;
      },
      end(r) {
        const tail = includeUsage
          ? `data: ${JSON.stringify({ id: `chatcmpl-${r.id}`, object: 'chat.completion.chunk', created: r.created, model, choices: [], usage: usage(r) })}\n\n`
          : '';
        return `${tail}data: [DONE]\n\n`;
      },
    };
  }
  return format;
}
