import type { TaskProbe } from '../task-probe.js';

/** Where there is no /proc: runs still report wall time and work, but not CPU time. */
export class UnknownTaskProbe implements TaskProbe {
  processCpuSeconds(): null {
    return null;
  }
  threadCpuSeconds(): null {
    return null;
  }
  coreTimes(): null {
    return null;
  }
  contextSwitches(): null {
    return null;
  }
  memory(): null {
    return null;
  }
  threadState(): null {
    return null;
  }
  placement(): null {
    return null;
  }
}
