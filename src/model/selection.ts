/** Selection and scrolling over a list of rows that changes under the cursor. Pure. */

export interface ListCursor {
  /** What is selected: a PID (or TID). */
  selectedId: number | null;
  /** Where it was last seen; used when the selected row disappears. */
  index: number;
  /** First visible row. */
  scrollTop: number;
  /**
   * Whether the user picked the row: from then on the selection follows its ID as rows move (a
   * kill goes to the process they chose). Until then, and again after Home, the cursor sits on the
   * top row, as in htop: following a row nobody chose would scroll the busiest processes out of view.
   */
  following: boolean;
}

export const EMPTY_CURSOR: ListCursor = { selectedId: null, index: 0, scrollTop: 0, following: false };

function clamp(value: number, low: number, high: number): number {
  return Math.max(low, Math.min(high, value));
}

/** Keep the scroll position unless the selected row would be off screen. */
export function scrollToShow(scrollTop: number, index: number, visibleRows: number, rowCount: number): number {
  const height = Math.max(1, visibleRows);
  let top = scrollTop;
  if (index < top) top = index;
  if (index >= top + height) top = index - height + 1;
  return clamp(top, 0, Math.max(0, rowCount - height));
}

/**
 * Re-anchor the cursor on fresh rows. A picked row: the same ID if it is still there, else the row
 * now at its old position (so a vanished process hands the selection to its neighbour, as in htop).
 * Not picked: the same position, the top row.
 */
export function settleCursor(cursor: ListCursor, ids: readonly number[], visibleRows: number): ListCursor {
  if (ids.length === 0) return { ...cursor, index: 0, scrollTop: 0 };
  const found = cursor.following && cursor.selectedId !== null ? ids.indexOf(cursor.selectedId) : -1;
  const index = found >= 0 ? found : clamp(cursor.index, 0, ids.length - 1);
  return {
    selectedId: ids[index] ?? null,
    index,
    scrollTop: scrollToShow(cursor.scrollTop, index, visibleRows, ids.length),
    following: cursor.following,
  };
}

/** The user picks a row by its index (clamped); it is kept on screen and followed from now on. */
export function moveCursorTo(
  cursor: ListCursor,
  ids: readonly number[],
  index: number,
  visibleRows: number,
  following = true,
): ListCursor {
  if (ids.length === 0) return cursor;
  const target = clamp(index, 0, ids.length - 1);
  return {
    selectedId: ids[target] ?? null,
    index: target,
    scrollTop: scrollToShow(cursor.scrollTop, target, visibleRows, ids.length),
    following,
  };
}

export type CursorMove = 'up' | 'down' | 'page-up' | 'page-down' | 'home' | 'end';

export function moveCursor(
  cursor: ListCursor,
  ids: readonly number[],
  move: CursorMove,
  visibleRows: number,
): ListCursor {
  const settled = settleCursor(cursor, ids, visibleRows);
  const page = Math.max(1, visibleRows - 1);
  const target = {
    up: settled.index - 1,
    down: settled.index + 1,
    'page-up': settled.index - page,
    'page-down': settled.index + page,
    home: 0,
    end: ids.length - 1,
  }[move];
  // Home goes back to watching the top of the list.
  return moveCursorTo(settled, ids, target, visibleRows, move !== 'home');
}
