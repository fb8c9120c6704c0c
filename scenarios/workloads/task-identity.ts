import { readlinkSync, writeFileSync } from 'node:fs';

/**
 * The calling thread's OS thread ID: /proc/thread-self links to "<pid>/task/<tid>". Null where there
 * is no /proc (macOS).
 */
export function currentTid(): number | null {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) ? tid : null;
  } catch {
    return null;
  }
}

/** Name the calling thread, as `top -H` and paratop's thread view show it (15 characters at most). */
export function nameCurrentThread(name: string): string {
  const short = name.slice(0, 15);
  try {
    writeFileSync('/proc/thread-self/comm', short);
  } catch {
    // not Linux: the name stays what the runtime chose
  }
  return short;
}
