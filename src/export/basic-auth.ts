import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';

/** Checked logins kept, so a scraper's every scrape does not pay for bcrypt (as exporter-toolkit caches). */
const CACHE_LIMIT = 256;
/** Compared against for an unknown user, so a wrong name takes as long as a wrong password. */
const DUMMY_HASH = '$2b$10$WNfv6f0Ma7s5UZRvpF3HMu2oW..9.v4vzXelwZJpWdJ2SYuC3toJi';

function credentials(header: string | undefined): { user: string; password: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return null;
  const text = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? null : { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** HTTP basic auth against the web-config's bcrypt hashes. */
export class BasicAuth {
  private readonly checked = new Map<string, boolean>();

  constructor(private readonly users: ReadonlyMap<string, string>) {}

  get required(): boolean {
    return this.users.size > 0;
  }

  async allows(header: string | undefined): Promise<boolean> {
    if (!this.required) return true;
    const given = credentials(header);
    if (!given) return false;
    const hash = this.users.get(given.user);
    const key = createHash('sha256').update(`${given.user}\0${given.password}`).digest('hex');
    const known = this.checked.get(key);
    if (known !== undefined) return known;
    const matches = await bcrypt.compare(given.password, hash ?? DUMMY_HASH);
    const allowed = hash !== undefined && matches;
    if (this.checked.size >= CACHE_LIMIT) this.checked.clear();
    this.checked.set(key, allowed);
    return allowed;
  }
}
