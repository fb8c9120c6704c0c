import { PsTreeScanner } from './fallback/ps-tree-scanner.js';
import { PidusageTaskProbe } from './fallback/pidusage-task-probe.js';
import { ProcTaskProbe } from './linux/proc-task-probe.js';
import { ProcTreeScanner } from './linux/proc-tree-scanner.js';
import type { ProcessTreeScanner } from './process-tree-scanner.js';
import type { TaskProbe } from './task-probe.js';

/** The lab's probes for this platform: /proc on Linux; elsewhere what ps gives (pidusage), no per-thread figures. */
export function createTaskProbe(): TaskProbe {
  return process.platform === 'linux' ? new ProcTaskProbe() : new PidusageTaskProbe();
}

export function createTreeScanner(): ProcessTreeScanner {
  return process.platform === 'linux' ? new ProcTreeScanner() : new PsTreeScanner();
}
