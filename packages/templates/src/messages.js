/** What the CLI prints: bilingual, Chinese first. */

/** @param {import('./templates.js').TemplateInfo[]} templates */
export function helpText(templates) {
  const list = templates.map((t) => `  ${t.name.padEnd(14)} ${t.description}`).join('\n');
  return `用法 · Usage: npm create zhengwu@latest [项目目录 · directory] -- [选项 · options]
       create-zhengwu [directory] [options]

用模板创建一个可部署到政务云的应用。
Create an app for the Zhengwu government cloud from a template.

选项 · Options:
  -t, --template <name>  模板 · template (default: approval)
      --tenant <tenant>  部署的租户（ID 或名称）· tenant to deploy to (id or name)
      --overwrite        清空非空目录 · empty a non-empty directory first
      --no-interactive   不提问，使用参数和默认值 · never prompt; use flags and defaults
      --interactive      即使不是终端也提问 · prompt even without a terminal
  -h, --help             显示帮助 · show this help
  -v, --version          显示版本 · show the version

模板 · Templates:
${list}

退出码 · Exit codes: 0 成功 · ok, 1 用法错误 · bad usage, 2 目录已存在且非空 · target exists
`;
}

/**
 * @param {{ name: string, template: string, cdPath: string, tenant?: string, files: number }} done
 */
export function nextSteps(done) {
  const cd =
    done.cdPath === '.'
      ? []
      : [`  cd ${/\s/.test(done.cdPath) ? JSON.stringify(done.cdPath) : done.cdPath}`];
  const deploy = done.tenant ? `zw deploy --tenant ${done.tenant}` : 'zw deploy';
  return `
✔ 已用模板 ${done.template} 创建应用 ${done.name}（${done.files} 个文件）
  Created app ${done.name} from template ${done.template} (${done.files} files)

下一步 · Next steps:
${[...cd, '  npm install', '  zw login', `  ${deploy}`].join('\n')}

还没有 zw？· No zw yet? npm install -g @zhengwu/cli

本地运行与测试见 README.md · See README.md to run and test it locally.
`;
}
