import { DEFAULT_MATRIX_SIZE, type RunResult } from '../../model/lab-types.js';
import type { OutputLine } from '../../model/output-log.js';
import { engineLine, findEngine } from '../engine-runtime.js';
import type { ExperimentContext } from '../experiment.js';
import { type GpuCoresEvent, gpuCoresResult, parseGpuCoresLine, tallyGpuCores } from '../gpu-cores-events.js';
import { LineSplitter } from '../grid-events.js';
import { workloadPath } from '../launch-workload.js';
import { perCoreBusy } from '../run-results.js';

const REPEATS = 3;

/**
 * gpu-cores: the same matrix product on every CPU core, then on the GPU, through the PyTorch or CuPy
 * this machine's Python has, followed as a command (its process measured, ended with paratop).
 */
export async function gpuCoresExperiment(context: ExperimentContext): Promise<RunResult> {
  const { scenario } = context;
  const found = await findEngine('gpu');
  if (!found.available) throw new Error(found.reason);
  const size = context.options.matrixSize ?? DEFAULT_MATRIX_SIZE;
  const spec = JSON.stringify({ size, repeats: REPEATS });
  const argv = [found.python, '-u', workloadPath('python-gpu'), spec];
  const events: GpuCoresEvent[] = [];
  const splitters = { out: new LineSplitter(), err: new LineSplitter() };
  const take = (line: string): void => {
    const event = parseGpuCoresLine(line);
    if (!event) return;
    events.push(event);
    if (event.event === 'phase')
      context.step(event.phase === 'cpu' ? `on the CPU's ${context.cores} cores…` : 'on the GPU…');
  };
  const onOutput = (stream: OutputLine['stream'], text: string): void => {
    for (const line of splitters[stream].push(text)) take(line);
  };
  context.step(`starting ${engineLine(found)}`);
  const command = await context.startCommand(
    { argv, display: `${found.python} paratop_gpu_cores.py {size: ${size}}`, shell: false },
    onOutput,
  );
  const endedByItself = await context.untilFinished(command);
  const measured = command.measure();
  const stopped = await context.stopGroup(command);
  for (const line of [...splitters.out.flush(), ...splitters.err.flush()]) take(line);
  return gpuCoresResult(
    scenario,
    tallyGpuCores(events),
    {
      wallSeconds: measured.wallSeconds,
      cpuSeconds: measured.cpuSeconds,
      coresUsed:
        measured.cpuSeconds !== null && measured.wallSeconds > 0 ? measured.cpuSeconds / measured.wallSeconds : null,
      perCore: perCoreBusy(measured.coresBefore, measured.coresAfter),
      pid: measured.processes[0]?.pid ?? null,
      exit: command.exit,
      stoppedBy: endedByItself ? 'exited' : stopped,
    },
    engineLine(found),
  );
}
