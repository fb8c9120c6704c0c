import type { ScenarioDefinition } from './scenarios.js';
import type { ScenarioInfo } from '../model/lab-types.js';

/** The most busy workers one run may start: enough for the lecture's 11 on a small laptop, never a fork bomb. */
function workerCap(cores: number): number {
  return Math.min(256, Math.max(16, 4 * cores));
}

/**
 * The most workers this scenario may start on this machine: its own limit where it has one
 * (threads-vs-processes starts 50 idle workers, which the cap for spinning ones would refuse).
 */
export function workerLimit(scenario: ScenarioInfo, cores: number): number {
  return scenario.maxWorkers ?? workerCap(cores);
}

export function defaultWorkers(scenario: ScenarioDefinition, cores: number): number {
  if (scenario.fixedWorkers !== undefined) return scenario.fixedWorkers;
  if (scenario.defaultWorkers === 'cores') return cores;
  if (scenario.defaultWorkers === 'twice-cores') return 2 * cores;
  return Math.min(scenario.defaultWorkers, workerLimit(scenario, cores));
}

/** Why a worker count is not allowed for a scenario, or null when it is. */
export function workerCountProblem(scenario: ScenarioInfo, workers: number, cores: number): string | null {
  if (scenario.fixedWorkers !== undefined && workers !== scenario.fixedWorkers) {
    return `${scenario.id} always runs ${scenario.fixedWorkers} worker; got ${workers}.`;
  }
  const limit = workerLimit(scenario, cores);
  if (!Number.isInteger(workers) || workers < 1 || workers > limit) {
    const why = scenario.maxWorkers === undefined ? `4 x ${cores} cores, at least 16` : `${scenario.id}'s own limit`;
    return `workers must be a whole number from 1 to ${limit} (${why}); got ${workers}.`;
  }
  return null;
}

/** The lecture launches 11 threads; one key in the dashboard asks for as many. */
export const LECTURE_MANY_THREADS = 11;

export function clampWorkers(scenario: ScenarioInfo, workers: number, cores: number): number {
  if (scenario.fixedWorkers !== undefined) return scenario.fixedWorkers;
  return Math.max(1, Math.min(workerLimit(scenario, cores), Math.round(workers)));
}
