import type { ColumnKey } from '../model/columns.js';
import type { PromptPurpose } from '../model/dashboard-state.js';
import type { CursorMove } from '../model/selection.js';

/** What a key or click asks for. Key handling turns input into these; only the reducer acts on them. */
export type Action =
  | { type: 'quit' }
  | { type: 'move'; move: CursorMove }
  | { type: 'scroll'; rows: number }
  | { type: 'sort-step'; step: 1 | -1 }
  | { type: 'sort-invert' }
  | { type: 'sort-by'; key: ColumnKey }
  | { type: 'toggle-tree' }
  | { type: 'prompt-open'; purpose: PromptPurpose }
  | { type: 'prompt-type'; text: string }
  | { type: 'prompt-backspace' }
  | { type: 'prompt-erase' }
  | { type: 'prompt-accept' }
  | { type: 'prompt-cancel' }
  | { type: 'back' }
  | { type: 'threads-toggle' }
  | { type: 'kill-open' }
  | { type: 'kill-choose'; step: 1 | -1 }
  | { type: 'kill-send' }
  | { type: 'kill-cancel' }
  | { type: 'affinity-open' }
  | { type: 'affinity-move'; step: 1 | -1 }
  | { type: 'affinity-toggle' }
  | { type: 'affinity-all' }
  | { type: 'affinity-apply' }
  | { type: 'affinity-cancel' }
  | { type: 'help-open' }
  | { type: 'help-close' }
  | { type: 'help-scroll'; move: CursorMove }
  | { type: 'pause-toggle' }
  | { type: 'interval-step'; step: 1 | -1 }
  | { type: 'lab-start'; key: string }
  | { type: 'lab-stop' }
  | { type: 'lab-workers'; change: 1 | -1 | 'cores' | 'many' }
  | { type: 'lab-toggle' }
  | { type: 'lab-page' }
  | { type: 'results-toggle' }
  | { type: 'output-toggle' }
  /** Between this machine and the other hosts (w). */
  | { type: 'hosts-toggle' }
  /** The core map (g). */
  | { type: 'core-map-toggle' }
  /** The CORE and WAIT% columns of the process table (e). */
  | { type: 'scheduling-columns-toggle' }
  /** The last run as a Chrome trace, written to paratop's data folder (T). */
  | { type: 'trace-export' }
  /** A replay: a sample back or forward (pauses), faster or slower. */
  | { type: 'replay-step'; step: 1 | -1 }
  | { type: 'replay-speed'; step: 1 | -1 };
