import type { ScenarioDefinition } from '../scenarios.js';
import type { Experiment } from '../experiment.js';
import { cacheSharingExperiment } from './cache-sharing.js';
import { commandExperiment } from './command.js';
import { compareExperiment } from './compare.js';
import { forkMemoryExperiment } from './fork-memory.js';
import { gridSearchExperiment } from './grid-search.js';
import { ioBoundExperiment } from './io-bound.js';
import { lostResultsExperiment } from './lost-results.js';
import { memoryHierarchyExperiment } from './memory-hierarchy.js';
import { pinnedExperiment } from './pinned.js';
import { raceExperiment } from './race.js';
import { sideBySideExperiment } from './side-by-side.js';
import { steadyExperiment } from './steady.js';
import { sweepExperiment } from './sweep.js';
import { versusExperiment } from './versus.js';
import { gpuCoresExperiment } from './gpu-cores.js';

const PROCEDURES: Record<ScenarioDefinition['procedure'], Experiment> = {
  steady: steadyExperiment,
  race: raceExperiment,
  'lost-results': lostResultsExperiment,
  compare: compareExperiment,
  sweep: sweepExperiment,
  'fork-memory': forkMemoryExperiment,
  'grid-search': gridSearchExperiment,
  versus: versusExperiment,
  'side-by-side': sideBySideExperiment,
  command: commandExperiment,
  'memory-hierarchy': memoryHierarchyExperiment,
  'io-bound': ioBoundExperiment,
  'cache-sharing': cacheSharingExperiment,
  pinned: pinnedExperiment,
  'gpu-cores': gpuCoresExperiment,
};

/** Which procedure carries out a scenario. */
export function experimentFor(scenario: ScenarioDefinition): Experiment {
  return PROCEDURES[scenario.procedure];
}
