/**
 * Write to stdout, waiting when the pipe is full. A reader that goes away (`| head`) is not an
 * error: paratop stops quietly, as cat and ps do.
 */
let readerGone = false;
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') {
    readerGone = true;
    process.exit(0);
  }
  throw error;
});

export function stdoutClosed(): boolean {
  return readerGone;
}

export async function writeOut(text: string): Promise<void> {
  if (readerGone) return;
  if (!process.stdout.write(text)) {
    await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
  }
}
