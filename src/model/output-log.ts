/** One line a command printed, and where: its stdout or its stderr. */
export interface OutputLine {
  stream: 'out' | 'err';
  text: string;
}

/**
 * The last lines a command printed, for the output pane. Bounded: a chatty program costs a fixed
 * amount of memory. A carriage return without a newline (a progress bar) rewrites the line, as a
 * terminal would show it. A line not yet ended is shown as it stands.
 */
export class OutputLog {
  private readonly kept: OutputLine[] = [];
  private readonly pending = { out: '', err: '' };
  /** Lines ever completed, including those no longer kept. */
  total = 0;

  constructor(
    private readonly capacity = 5000,
    private readonly maxLineLength = 2000,
  ) {}

  append(stream: OutputLine['stream'], chunk: string): void {
    const parts = (this.pending[stream] + chunk).split('\n');
    // An unended line keeps its end: that is where a progress bar writes.
    const open = parts.pop() ?? '';
    this.pending[stream] = open.length > this.maxLineLength ? open.slice(-this.maxLineLength) : open;
    for (const part of parts) this.push({ stream, text: this.visible(part) });
  }

  /** The kept lines, oldest first, then any line still being written. */
  lines(): OutputLine[] {
    const kept = this.kept.length > this.capacity ? this.kept.slice(-this.capacity) : [...this.kept];
    for (const stream of ['out', 'err'] as const)
      if (this.pending[stream] !== '') kept.push({ stream, text: this.visible(this.pending[stream]) });
    return kept;
  }

  private push(line: OutputLine): void {
    this.kept.push(line);
    this.total += 1;
    // Trimmed in batches: a program printing flat out (yes) must not cost a copy of the log per line.
    if (this.kept.length >= 2 * this.capacity) this.kept.splice(0, this.kept.length - this.capacity);
  }

  /** What a terminal would show of a line: the text after its last carriage return. */
  private visible(line: string): string {
    const segments = line.split('\r').filter((segment) => segment !== '');
    return (segments.at(-1) ?? '').slice(0, this.maxLineLength);
  }
}
