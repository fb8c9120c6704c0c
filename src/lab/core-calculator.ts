/**
 * The lecture's grid-search question: N independent tasks of T seconds each must be done within a
 * deadline; how many cores does that take, and what do they cost? Tasks cannot be split, so with
 * c cores the job takes ceil(N / c) rounds of T seconds.
 */
export interface CoreEstimate {
  tasks: number;
  taskSeconds: number;
  deadlineSeconds: number;
  cores: number;
  rounds: number;
  runtimeSeconds: number;
  coreHours: number;
  pricePerCoreHour: number | null;
  /** cores x runtime x price, billed by the second */
  cost: number | null;
}

export class EstimateError extends Error {
  readonly code = 'PARATOP_ESTIMATE';
}

export function coresForDeadline(input: {
  tasks: number;
  taskSeconds: number;
  deadlineSeconds: number;
  pricePerCoreHour?: number | null;
}): CoreEstimate {
  const { tasks, taskSeconds, deadlineSeconds } = input;
  if (!(tasks >= 1 && Number.isInteger(tasks)))
    throw new EstimateError(`tasks must be a whole number of at least 1; got ${tasks}.`);
  if (!(taskSeconds > 0)) throw new EstimateError(`task-seconds must be more than 0; got ${taskSeconds}.`);
  if (!(deadlineSeconds > 0))
    throw new EstimateError(`the deadline must be more than 0 seconds; got ${deadlineSeconds}.`);
  const roundsThatFit = Math.floor(deadlineSeconds / taskSeconds + 1e-9);
  if (roundsThatFit < 1) {
    throw new EstimateError(
      `one task takes ${taskSeconds} s, longer than the deadline of ` +
        `${deadlineSeconds} s: no number of cores finishes in time.`,
    );
  }
  const cores = Math.ceil(tasks / roundsThatFit);
  const plan = estimateForCores({ tasks, taskSeconds, cores, pricePerCoreHour: input.pricePerCoreHour });
  // The deadline third, as before, so calc --json keeps its order.
  return Object.assign({ tasks, taskSeconds, deadlineSeconds }, plan);
}

/**
 * The other way round: what `cores` workers should take for the job (ceil(N / cores) rounds of T
 * seconds) and cost, to set beside what a run on them took.
 */
export function estimateForCores(input: {
  tasks: number;
  taskSeconds: number;
  cores: number;
  pricePerCoreHour?: number | null;
}): Omit<CoreEstimate, 'deadlineSeconds'> {
  const { tasks, taskSeconds, cores } = input;
  if (!(cores >= 1 && Number.isInteger(cores)))
    throw new EstimateError(`cores must be a whole number of at least 1; got ${cores}.`);
  const rounds = Math.ceil(tasks / cores);
  const runtimeSeconds = rounds * taskSeconds;
  const coreHours = (cores * runtimeSeconds) / 3600;
  const price = input.pricePerCoreHour ?? null;
  return {
    tasks,
    taskSeconds,
    cores,
    rounds,
    runtimeSeconds,
    coreHours,
    pricePerCoreHour: price,
    cost: price === null ? null : coreHours * price,
  };
}

/** "20m", "1h30m", "90s", "1200" (seconds) -> seconds; null when it is not a duration. */
export function parseDuration(text: string): number | null {
  const trimmed = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const match = /^(?:(\d+(?:\.\d+)?)h)?\s*(?:(\d+(?:\.\d+)?)m(?:in)?)?\s*(?:(\d+(?:\.\d+)?)s)?$/.exec(trimmed);
  if (!match || trimmed === '' || (!match[1] && !match[2] && !match[3])) return null;
  return Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
}

export function describeEstimate(estimate: CoreEstimate): string {
  const minutes = (estimate.runtimeSeconds / 60).toFixed(1);
  const cost =
    estimate.cost === null ? '' : `; at ${estimate.pricePerCoreHour} per core-hour that is ${estimate.cost.toFixed(2)}`;
  return (
    `${estimate.tasks} tasks of ${estimate.taskSeconds} s within ` +
    `${estimate.deadlineSeconds / 60} min: ${estimate.cores} cores ` +
    `(${estimate.rounds} rounds, done in ${minutes} min, ` +
    `${estimate.coreHours.toFixed(2)} core-hours${cost}).`
  );
}

/** The calculator as the dashboard takes it: "tasks task-seconds deadline [price-per-core-hour]". */
export function estimateFromLine(line: string): CoreEstimate {
  const words = line.trim().split(/\s+/).filter(Boolean);
  if (words.length < 3 || words.length > 4) {
    throw new EstimateError(
      `type: tasks, seconds per task, deadline, and optionally a price per ` +
        `core-hour (e.g. "125 70 20m 0.05"); got "${line.trim()}".`,
    );
  }
  const [tasks = '', taskSeconds = '', deadline = '', price] = words;
  const number = (word: string, what: string): number => {
    const value = Number(word);
    if (!Number.isFinite(value)) throw new EstimateError(`${what} must be a number; got "${word}".`);
    return value;
  };
  const deadlineSeconds = parseDuration(deadline);
  if (deadlineSeconds === null)
    throw new EstimateError(`the deadline must be a duration like 20m, 1h30m or 1200 (seconds); got "${deadline}".`);
  return coresForDeadline({
    tasks: number(tasks, 'tasks'),
    taskSeconds: number(taskSeconds, 'seconds per task'),
    deadlineSeconds,
    pricePerCoreHour: price === undefined ? null : number(price, 'the price per core-hour'),
  });
}
