/** What the command definitions share: the leaf registrar's type and option parsers. */
import { type Command, InvalidArgumentError } from 'commander';

type Module = Record<string, unknown>;

/** Registers a leaf command: its handler is imported when it runs; it gets `--json`. */
export type Leaf = (command: Command, load: () => Promise<Module>, name: string) => Command;

export function integer(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(
        `须为 ${min}–${max} 的整数 · must be a whole number from ${min} to ${max}`,
      );
    }
    return n;
  };
}

/** Collects a repeatable option's values. */
export const collect = (value: string, previous: string[] = []) => [...previous, value];
