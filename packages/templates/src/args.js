import { parseArgs } from 'node:util';

/**
 * @typedef {object} CliArgs
 * @property {string | undefined} target      the project directory (its last segment is the name)
 * @property {string | undefined} template
 * @property {string | undefined} tenant
 * @property {boolean} overwrite
 * @property {boolean | undefined} interactive  undefined: decide by whether stdin is a TTY
 * @property {boolean} help
 * @property {boolean} version
 */

/** Thrown for arguments the CLI cannot use; exit code 1. */
export class UsageError extends Error {}

/**
 * Parses the command line. `--no-interactive` is handled here because `util.parseArgs`
 * learnt negated options only in Node 22.
 * @param {string[]} argv
 * @returns {CliArgs}
 */
export function parseCliArgs(argv) {
  let interactive;
  const rest = argv.filter((arg) => {
    if (arg === '--no-interactive') interactive = false;
    else if (arg === '--interactive') interactive = true;
    else return true;
    return false;
  });
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: {
        template: { type: 'string', short: 't' },
        tenant: { type: 'string' },
        overwrite: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(usageMessage(error));
  }
  if (parsed.positionals.length > 1) {
    throw new UsageError(
      `只能指定一个项目目录 · Only one project directory, got: ${parsed.positionals.join(' ')}`,
    );
  }
  const { values } = parsed;
  return {
    target: parsed.positionals[0],
    template: values.template,
    tenant: values.tenant,
    overwrite: values.overwrite === true,
    interactive,
    help: values.help === true,
    version: values.version === true,
  };
}

const OPTIONS = [
  '--template',
  '--tenant',
  '--overwrite',
  '--interactive',
  '--no-interactive',
  '--help',
  '--version',
];

/**
 * `util.parseArgs` explains in English only: an unknown option gets a bilingual message and
 * the nearest real one.
 * @param {unknown} error
 */
function usageMessage(error) {
  const code = /** @type {{ code?: string }} */ (error).code;
  const message = error instanceof Error ? error.message : String(error);
  const option = /'(-[^']+)'/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
    const near = OPTIONS.find((known) => distance(known, option.split('=')[0] ?? option) <= 2);
    return near
      ? `未知选项 ${option}，是否想输入 ${near}？· Unknown option ${option}: did you mean ${near}?`
      : `未知选项 ${option} · Unknown option ${option} (see --help)`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    return `选项 ${option} 缺少值 · Option ${option} needs a value`;
  }
  return message;
}

/**
 * Edit distance (insertions, deletions, substitutions) between two short strings.
 * @param {string} a
 * @param {string} b
 */
function distance(a, b) {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
