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

/**
 * A quota limit: a whole number from 0, or `inherit` (the API's `null`: the parent's limit;
 * commander can't hold a `null`). There is no "unlimited": a tenant without its own limit
 * takes its parent's, and a root the platform's.
 */
export function limit(value: string): number | 'inherit' {
  const text = value.trim().toLowerCase();
  if (text === 'inherit') return 'inherit';
  if (text === 'none' || text === 'unlimited') {
    throw new InvalidArgumentError(
      "配额不能设为无限；用 inherit 改为继承上级的限额 · a quota cannot be unlimited: use inherit to take the parent's limit",
    );
  }
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n)) {
    throw new InvalidArgumentError(
      "须为非负整数，或 inherit（继承上级）· must be a whole number from 0, or inherit (the parent's limit)",
    );
  }
  return n;
}

/** Collects a repeatable option's values. */
export const collect = (value: string, previous: string[] = []) => [...previous, value];
