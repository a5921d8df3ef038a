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

/** True for an AWS event stream (SageMaker InvokeEndpointWithResponseStream). */
export function isEventStream(contentType: string | undefined): boolean {
  return contentType?.toLowerCase().includes('application/vnd.amazon.eventstream') === true;
}

/**
 * How the container's stream inside SageMaker payload parts is read, from X-Amzn-SageMaker-Content-Type:
 * SSE for text/event-stream, else JSON lines (which also take `data:`-prefixed lines).
 */
export function containerStreamFormat(contentType: string | undefined): StreamFormat {
  return contentType?.toLowerCase().includes('text/event-stream') ? 'sse' : 'jsonl';
}
