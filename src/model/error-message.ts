/** What went wrong, in the words of the error itself (or whatever was thrown). Pure. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
