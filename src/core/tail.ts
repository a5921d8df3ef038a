// The last `lines` lines of a text, for error messages that show a log's or stderr's tail.
export function tailLines(text: string, lines = 20): string {
  const all = text.replace(/\s+$/, '').split('\n');
  return all.slice(-lines).join('\n');
}
