import { parsePasswd } from './parse-passwd.js';
import type { ProcSource } from './proc-source.js';

const PASSWD_RELOAD_MS = 30_000;

/** User names by uid, from /etc/passwd, reloaded (at most every 30 s) when an unknown uid turns up. */
export class UserNames {
  /** The current table; a new object after each reload, so a sample can tell which table it used. */
  table = new Map<number, string>();
  private loadedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly source: ProcSource,
    private readonly passwdFile = '/etc/passwd',
  ) {}

  name(uid: number): string {
    let name = this.table.get(uid);
    if (name === undefined && this.source.now() - this.loadedAt > PASSWD_RELOAD_MS) {
      this.loadedAt = this.source.now();
      this.table = parsePasswd(this.source.reader.read(this.passwdFile) ?? '');
      name = this.table.get(uid);
    }
    return name ?? String(uid);
  }
}
