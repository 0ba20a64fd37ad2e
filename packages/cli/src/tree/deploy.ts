/** The command definitions of `zw deploy` and `zw export`: arguments, options, bilingual help. */
import type { Command } from 'commander';
import type { Leaf } from './shared';

export function define(program: Command, leaf: Leaf): void {
  const deploy = () => import('../commands/deploy');
  const exporter = () => import('../commands/export');

  // ---- deploy ----
  leaf(
    program
      .command('deploy')
      .summary('部署应用（zhengwu.yaml）· deploy the app in a folder (zhengwu.yaml)')
      .description(
        '部署目录中的应用（zhengwu.yaml）：校验 → 计划 → 上传 → 构建 → 开通服务 → 发布命令 → 滚动部署 → URL\ndeploy the app in a folder (zhengwu.yaml): validate → plan → upload → build → provision → release → rollout → URL',
      )
      .argument('[dir]', '应用目录 · app folder', '.')
      .option(
        '--dry-run',
        '只校验并显示计划，不做改动 · validate and print the plan, change nothing',
      )
      .option('-m, --message <text>', '发布说明 · release notes')
      .option(
        '--tenant <tenant>',
        '部署到该租户（ID 或名称）· deploy into this tenant (id or name)',
      )
      .option('--no-logs', '不显示构建日志 · do not stream build logs')
      .option(
        '--timeout <duration>',
        '最长等待时间 · how long to wait at most (e.g. 10m, 1h)',
        '15m',
      ),
    deploy,
    'deploy',
  );

  // ---- export ----
  leaf(
    program
      .command('export')
      .description(
        '把 zhengwu.yaml 导出为 Score 或 Kubernetes 清单 · export zhengwu.yaml as Score or Kubernetes manifests',
      )
      .addArgument(
        program.createArgument('<format>', '格式 · format').choices(['score', 'kubernetes', 'k8s']),
      )
      .argument('[dir]', '应用目录 · app folder', '.')
      .option(
        '-o, --out <path>',
        '写入文件（以 / 结尾则为目录，每个文档一个文件）而不是标准输出 · write to this file (or folder, ending in /: one file per document) instead of stdout',
      )
      .option(
        '--image <ref>',
        '容器镜像；Score 默认 "."，Kubernetes 默认 <应用>:latest · container image; Score: "." (build here), Kubernetes: <app>:latest by default',
      )
      .option('--namespace <ns>', 'Kubernetes 命名空间 · Kubernetes namespace', 'default')
      .option(
        '--host <host>',
        'Kubernetes Ingress 的主机名 · host name for the Kubernetes Ingress',
      ),
    exporter,
    'exportManifest',
  );
}
