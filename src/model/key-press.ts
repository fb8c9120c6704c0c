/** A key as the terminal reported it: input to the reducer, whatever library read it. */
export interface KeyPress {
  /** The key's full name as blessed gives it: "q", "C-c", "f1", "S-i", "enter", "escape", "up", ... */
  full: string;
  /** The character typed, when there is one. */
  ch: string | undefined;
}
