import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { parseCliArgs, UsageError } from './args.js';
import { copyTemplate } from './copy.js';
import { renameManifest, renamePackage, writeTemplateRecord } from './customize.js';
import { helpText, nextSteps } from './messages.js';
import { isValidProjectName, isValidTenant, projectNameRule, suggestProjectName } from './names.js';
import { createPrompter, PromptCancelled } from './prompt.js';
import { listTemplates, ownVersion, PACKAGE_ROOT } from './templates.js';

export const EXIT = { ok: 0, usage: 1, targetExists: 2 };

const DEFAULT_NAME = 'zhengwu-app';

/**
 * @typedef {object} CliIo
 * @property {NodeJS.ReadableStream & { isTTY?: boolean }} stdin
 * @property {NodeJS.WritableStream} stdout
 * @property {NodeJS.WritableStream} stderr
 * @property {string} cwd
 * @property {() => Date} [now]
 * @property {string} [templatesRoot]
 */

/** A directory with anything but `.git` in it. @param {string} dir */
function hasContent(dir) {
  return readdirSync(dir).some((entry) => entry !== '.git');
}

/** Removes everything but `.git` (the vendor's history stays). @param {string} dir */
function emptyDir(dir) {
  for (const entry of readdirSync(dir)) {
    if (entry !== '.git') rmSync(join(dir, entry), { recursive: true, force: true });
  }
}

/**
 * `create-zhengwu`: returns the exit code instead of exiting, so tests can call it.
 * @param {string[]} argv
 * @param {CliIo} io
 * @returns {Promise<number>}
 */
export async function main(argv, io) {
  const out = (/** @type {string} */ text) => io.stdout.write(text);
  const fail = (/** @type {string} */ text, /** @type {number} */ code) => {
    io.stderr.write(`✖ ${text}\n`);
    return code;
  };

  const templates = listTemplates(io.templatesRoot ?? PACKAGE_ROOT);
  let args;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return fail(
      `${error.message}\n  运行 create-zhengwu --help 查看用法 · Run create-zhengwu --help for usage`,
      EXIT.usage,
    );
  }
  if (args.help || args.version) {
    out(args.help ? helpText(templates) : `${ownVersion()}\n`);
    return EXIT.ok;
  }

  const interactive = args.interactive ?? io.stdin.isTTY === true;
  const prompter = interactive
    ? createPrompter({ input: io.stdin, output: io.stdout, terminal: io.stdin.isTTY === true })
    : null;

  try {
    // 1. Project directory and name.
    let target = args.target?.trim();
    if (!target) {
      target = prompter
        ? await prompter.text('项目名称 · Project name', {
            initial: DEFAULT_NAME,
            validate: (value) =>
              isValidProjectName(basename(resolve(io.cwd, value))) ? null : projectNameRule(value),
          })
        : DEFAULT_NAME;
    }
    const dir = resolve(io.cwd, target);
    const name = basename(dir);
    if (!isValidProjectName(name)) {
      const suggestion = suggestProjectName(name);
      const hint = suggestion ? `\n  例如 · e.g. ${suggestion}` : '';
      return fail(`${projectNameRule(name)}${hint}`, EXIT.usage);
    }

    // 2. Template.
    const names = templates.map((t) => t.name);
    let template = args.template;
    if (template !== undefined && !names.includes(template)) {
      return fail(
        `模板 “${template}” 不存在 · Unknown template "${template}". 可选 · Available: ${names.join(', ')}`,
        EXIT.usage,
      );
    }
    if (template === undefined) {
      template = prompter
        ? await prompter.select(
            '选择模板 · Choose a template',
            templates.map((t) => ({ value: t.name, label: t.description })),
          )
        : /** @type {string} */ (names[0]);
    }

    // 3. Tenant (optional: zw deploy can also pick it).
    let tenant = args.tenant;
    if (tenant !== undefined && !isValidTenant(tenant)) {
      return fail(`租户 “${tenant}” 无效 · Invalid tenant "${tenant}"`, EXIT.usage);
    }
    if (tenant === undefined && prompter) {
      const answer = await prompter.text(
        '租户（ID 或名称，回车跳过）· Tenant (id or name, Enter to skip)',
        {
          validate: (value) =>
            value === '' || isValidTenant(value) ? null : `租户无效 · Invalid tenant "${value}"`,
        },
      );
      tenant = answer || undefined;
    }

    // 4. Target directory: new, empty, or emptied with consent.
    if (existsSync(dir)) {
      if (!statSync(dir).isDirectory()) {
        return fail(
          `${target} 已存在且不是目录 · ${target} exists and is not a directory`,
          EXIT.targetExists,
        );
      }
      if (hasContent(dir)) {
        const overwrite =
          args.overwrite ||
          (prompter !== null &&
            (await prompter.confirm(
              `目录 ${target} 非空，删除其中文件并继续？· ${target} is not empty. Remove its files and continue?`,
            )));
        if (!overwrite) {
          return fail(
            `目录 ${target} 非空；换一个目录或使用 --overwrite · ${target} is not empty; choose another directory or pass --overwrite`,
            EXIT.targetExists,
          );
        }
        emptyDir(dir);
      }
    }

    // 5. Copy and make it the vendor's app.
    const source = /** @type {import('./templates.js').TemplateInfo} */ (
      templates.find((t) => t.name === template)
    );
    const files = copyTemplate(source.dir, dir);
    renamePackage(dir, name);
    renameManifest(dir, name);
    writeTemplateRecord(dir, {
      template,
      version: ownVersion(),
      createdAt: (io.now?.() ?? new Date()).toISOString(),
      ...(tenant ? { tenant } : {}),
    });
    out(
      nextSteps({
        name,
        template,
        cdPath: relative(io.cwd, dir) || '.',
        tenant,
        files: files.length + 1,
      }),
    );
    return EXIT.ok;
  } catch (error) {
    if (error instanceof PromptCancelled) return fail(error.message, EXIT.usage);
    throw error;
  } finally {
    prompter?.close();
  }
}
