// Path segments from a request (Triton model names) are decoded here; a malformed escape is the
// client's error (400), never an exception that reaches the server.

/** A request path the simulator cannot read: answered 400. */
export class BadPath extends Error {}

/** A path segment decoded; a malformed escape (`%E0%A4%A`) throws a BadPath. */
export function decodeName(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new BadPath(`malformed percent-encoding in the path: ${segment.slice(0, 80)}`);
  }
}
