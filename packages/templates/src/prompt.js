import { createInterface } from 'node:readline';

/** Thrown when the user ends input (Ctrl+C, Ctrl+D) before answering. */
export class PromptCancelled extends Error {
  constructor() {
    super('已取消 · Cancelled');
  }
}

/**
 * @typedef {object} Choice
 * @property {string} value
 * @property {string} label
 */

/**
 * Line-based prompts over any pair of streams: a terminal, or plain streams in tests. Lines
 * are queued as they arrive, so answers piped in ahead of the questions are not lost.
 * @param {{ input: NodeJS.ReadableStream, output: NodeJS.WritableStream, terminal?: boolean }} streams
 */
export function createPrompter({ input, output, terminal = false }) {
  const rl = createInterface({ input, output, terminal });
  /** @type {string[]} */
  const lines = [];
  /** @type {((line: string | null) => void) | null} */
  let waiting = null;
  let closed = false;

  rl.on('line', (line) => {
    if (waiting) {
      const resolve = waiting;
      waiting = null;
      resolve(line);
    } else lines.push(line);
  });
  const end = () => {
    closed = true;
    if (waiting) waiting(null);
    waiting = null;
  };
  rl.on('close', end);
  rl.on('SIGINT', () => rl.close());

  /** @param {string} question @returns {Promise<string>} */
  async function ask(question) {
    output.write(question);
    const queued = lines.shift();
    const line =
      queued !== undefined
        ? queued
        : closed
          ? null
          : await new Promise((resolve) => (waiting = resolve));
    if (line === null) throw new PromptCancelled();
    return line.trim();
  }

  return {
    /**
     * Free text with a default (Enter keeps it) and a validator that returns an error message
     * or null; asks again until the answer is valid.
     * @param {string} question
     * @param {{ initial?: string, validate?: (value: string) => string | null }} [options]
     */
    async text(question, options = {}) {
      const hint = options.initial ? ` (${options.initial})` : '';
      for (;;) {
        const answer = (await ask(`? ${question}${hint}: `)) || options.initial || '';
        const problem = options.validate?.(answer) ?? null;
        if (!problem) return answer;
        output.write(`  ✖ ${problem}\n`);
      }
    },

    /**
     * One of a numbered list, by number or by value; Enter takes the first.
     * @param {string} question
     * @param {Choice[]} choices
     */
    async select(question, choices) {
      output.write(`? ${question}\n`);
      for (const [i, choice] of choices.entries()) {
        output.write(`  ${i + 1}) ${choice.value} — ${choice.label}\n`);
      }
      for (;;) {
        const answer = await ask(`  选择 · Choose [1-${choices.length}] (1): `);
        if (answer === '') return /** @type {Choice} */ (choices[0]).value;
        const byNumber = choices[Number(answer) - 1];
        if (/^\d+$/.test(answer) && byNumber) return byNumber.value;
        const byValue = choices.find((choice) => choice.value === answer);
        if (byValue) return byValue.value;
        output.write(`  ✖ 无此选项 · No such choice: ${answer}\n`);
      }
    },

    /** y/N question. @param {string} question */
    async confirm(question) {
      const answer = (await ask(`? ${question} (y/N): `)).toLowerCase();
      return answer === 'y' || answer === 'yes' || answer === '是';
    },

    close() {
      rl.close();
    },
  };
}

/** @typedef {ReturnType<typeof createPrompter>} Prompter */
