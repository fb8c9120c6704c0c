import { createRequire } from 'node:module';
import type { Widgets } from 'blessed';

/**
 * The parts of blessed paratop draws with, loaded on their own. `import 'blessed'` also loads all
 * 33 of its widgets (a terminal emulator, image and video players, a file manager...): heap and
 * RSS that paratop never uses (docs/performance.md has the measurement).
 * blessed-contrib's charts still load the whole of blessed, when a chart is first drawn.
 */
const require = createRequire(import.meta.url);

export const screen = require('blessed/lib/widgets/screen') as (options?: Widgets.IScreenOptions) => Widgets.Screen;
export const box = require('blessed/lib/widgets/box') as (options?: Widgets.BoxOptions) => Widgets.BoxElement;
/** Makes text inert for blessed's tag parser. */
export const blessedEscape = (require('blessed/lib/helpers') as { escape(text: string): string }).escape;
/** blessed's own width tables, so clipping agrees with how blessed draws wide characters. */
export const unicode = require('blessed/lib/unicode') as { charWidth(text: string, index: number): number };
