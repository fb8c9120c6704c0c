/**
 * Colours by role, as blessed tags. With NO_COLOR set (https://no-color.org) only attributes that are
 * not colours remain (bold, inverse), so every state stays readable.
 */
export type Role =
  | 'title'
  | 'label'
  | 'dim'
  | 'user'
  | 'system'
  | 'iowait'
  | 'steal'
  | 'mem-used'
  | 'mem-buffers'
  | 'mem-cache'
  | 'swap'
  | 'table-header'
  | 'sorted-header'
  | 'selected'
  | 'error'
  | 'info'
  | 'key'
  | 'paused'
  | 'highlight';

const COLOURED: Record<Role, [string, string]> = {
  title: ['{bold}', '{/bold}'],
  label: ['{cyan-fg}', '{/cyan-fg}'],
  dim: ['{grey-fg}', '{/grey-fg}'],
  user: ['{green-fg}', '{/green-fg}'],
  system: ['{red-fg}', '{/red-fg}'],
  iowait: ['{grey-fg}', '{/grey-fg}'],
  steal: ['{cyan-fg}', '{/cyan-fg}'],
  'mem-used': ['{green-fg}', '{/green-fg}'],
  'mem-buffers': ['{blue-fg}', '{/blue-fg}'],
  'mem-cache': ['{yellow-fg}', '{/yellow-fg}'],
  swap: ['{red-fg}', '{/red-fg}'],
  'table-header': ['{black-fg}{green-bg}', '{/green-bg}{/black-fg}'],
  'sorted-header': ['{black-fg}{cyan-bg}', '{/cyan-bg}{/black-fg}'],
  selected: ['{black-fg}{cyan-bg}', '{/cyan-bg}{/black-fg}'],
  error: ['{red-fg}{bold}', '{/bold}{/red-fg}'],
  info: ['{green-fg}', '{/green-fg}'],
  key: ['{black-fg}{cyan-bg}', '{/cyan-bg}{/black-fg}'],
  paused: ['{black-fg}{yellow-bg}', '{/yellow-bg}{/black-fg}'],
  highlight: ['{magenta-fg}{bold}', '{/bold}{/magenta-fg}'],
};

const MONOCHROME: Partial<Record<Role, [string, string]>> = {
  title: ['{bold}', '{/bold}'],
  'table-header': ['{inverse}', '{/inverse}'],
  'sorted-header': ['{bold}{underline}', '{/underline}{/bold}'],
  selected: ['{inverse}', '{/inverse}'],
  error: ['{bold}', '{/bold}'],
  key: ['{inverse}', '{/inverse}'],
  paused: ['{inverse}', '{/inverse}'],
  highlight: ['{underline}', '{/underline}'],
};

export interface Theme {
  readonly colour: boolean;
  /** Wrap already-escaped text in the role's tags. */
  paint(text: string, role: Role): string;
}

export function createTheme(colour: boolean): Theme {
  const table = colour ? COLOURED : MONOCHROME;
  return {
    colour,
    paint(text, role) {
      const tags = table[role];
      return tags && text !== '' ? `${tags[0]}${text}${tags[1]}` : text;
    },
  };
}

/** NO_COLOR present and not empty turns colour off, as the convention says. */
export function colourWanted(env: NodeJS.ProcessEnv): boolean {
  return !env.NO_COLOR;
}
