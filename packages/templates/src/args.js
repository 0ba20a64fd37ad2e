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
    throw new UsageError(error instanceof Error ? error.message : String(error));
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
