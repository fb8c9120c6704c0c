import { PsTreeScanner } from './fallback/ps-tree-scanner.js';
import { UnknownTaskProbe } from './fallback/unknown-task-probe.js';
import { ProcTaskProbe } from './linux/proc-task-probe.js';
import { ProcTreeScanner } from './linux/proc-tree-scanner.js';
import type { ProcessTreeScanner } from './process-tree-scanner.js';
import type { TaskProbe } from './task-probe.js';

/** The lab's probes for this platform: /proc on Linux; elsewhere what ps gives, and no per-task figures. */
export function createTaskProbe(): TaskProbe {
  return process.platform === 'linux' ? new ProcTaskProbe() : new UnknownTaskProbe();
}

export function createTreeScanner(): ProcessTreeScanner {
  return process.platform === 'linux' ? new ProcTreeScanner() : new PsTreeScanner();
}
