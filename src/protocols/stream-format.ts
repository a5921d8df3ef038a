import type { StreamFormat } from './event-scanner.ts';

// How a 2xx reply is read, from its Content-Type: SSE and JSON lines are read as streams (every
// content event timed), anything else is read whole and parsed once at the end.

/** `sse`, `jsonl`, or `whole` for a reply's Content-Type header. */
export function replyFormat(contentType: string | undefined): StreamFormat | 'whole' {
  if (!contentType) return 'whole';
  const type = contentType.toLowerCase();
  if (type.includes('text/event-stream')) return 'sse';
  if (type.includes('jsonlines') || type.includes('ndjson') || type.includes('json-seq')) return 'jsonl';
  return 'whole';
}
