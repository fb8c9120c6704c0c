/**
 * Tasks over time per worker, as a strip of characters (a Gantt chart in text): each column is a
 * slice of the run, each row a worker. Busy slices show the task's mark, idle ones a dot, so an
 * idle worker and the last round's tail are plain to see.
 */
export interface TaskSpan {
  task: number;
  /** Who ran it: "host pid" or a worker's name. */
  worker: string;
  /** Seconds from the start of the run. */
  start: number;
  end: number;
  /** The task never finished here: its worker died under it, and the engine ran it elsewhere. */
  lost?: boolean;
}

export interface StripRow {
  worker: string;
  /** One character per column: a task's mark, '·' idle, 'x' a task lost with its worker. */
  cells: string;
  /** Tasks finished by this worker. */
  tasks: number;
  /** Seconds spent on finished tasks. */
  busySeconds: number;
}

export interface TaskStrip {
  rows: StripRow[];
  secondsPerColumn: number;
  totalSeconds: number;
}

/** Alternating marks, so two tasks back to back show as two. */
const MARKS = ['█', '▓'];
const IDLE = '·';
const LOST = 'x';

/** The strip of `spans` over `totalSeconds` (the run's wall time), `columns` characters wide. */
export function taskStrip(spans: readonly TaskSpan[], totalSeconds: number, columns: number): TaskStrip {
  const width = Math.max(1, Math.floor(columns));
  const total = Math.max(totalSeconds, ...spans.map((span) => span.end), 1e-9);
  const perColumn = total / width;
  const workers = [...new Set(spans.map((span) => span.worker))];
  const rows = workers.map((worker): StripRow => {
    const own = spans.filter((span) => span.worker === worker).sort((a, b) => a.start - b.start);
    const cells = Array.from({ length: width }, (_, column) => {
      const middle = (column + 0.5) * perColumn;
      const index = own.findIndex((span) => span.start <= middle && middle < span.end);
      const span = own[index];
      if (!span) return IDLE;
      return span.lost ? LOST : (MARKS[index % MARKS.length] ?? MARKS[0]);
    });
    const finished = own.filter((span) => !span.lost);
    return {
      worker,
      cells: cells.join(''),
      tasks: finished.length,
      busySeconds: finished.reduce((sum, span) => sum + (span.end - span.start), 0),
    };
  });
  return { rows, secondsPerColumn: perColumn, totalSeconds: total };
}

/** The strip as lines of text: each worker's name, its row, and how many tasks it did; a time scale under them. */
export function stripLines(strip: TaskStrip): string[] {
  const nameWidth = Math.max(6, ...strip.rows.map((row) => row.worker.length));
  const lines = strip.rows.map((row) => `${row.worker.padEnd(nameWidth)} |${row.cells}| ${row.tasks}`);
  const width = strip.rows[0]?.cells.length ?? 0;
  const end = `${strip.totalSeconds.toFixed(1)} s`;
  lines.push(`${''.padEnd(nameWidth)} 0${end.padStart(Math.max(end.length, width + 1))}`);
  return lines;
}
