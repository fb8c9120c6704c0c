import { EstimateError, coresForDeadline, describeEstimate } from '../../lab/core-calculator.js';
import { writeOut } from '../output/write-out.js';
import { UsageError } from '../usage-error.js';

export interface CalcFlags {
  tasks: number;
  taskSeconds: number;
  deadline: number;
  pricePerCoreHour?: number;
  json?: boolean;
}

/** `paratop calc`: the lecture's "how many cores, and what will it cost?" */
export async function runCalc(flags: CalcFlags): Promise<void> {
  try {
    const estimate = coresForDeadline({
      tasks: flags.tasks,
      taskSeconds: flags.taskSeconds,
      deadlineSeconds: flags.deadline,
      pricePerCoreHour: flags.pricePerCoreHour ?? null,
    });
    await writeOut(flags.json ? `${JSON.stringify(estimate, null, 2)}\n` : `${describeEstimate(estimate)}\n`);
  } catch (error) {
    if (error instanceof EstimateError) throw new UsageError(error.message);
    throw error;
  }
}
