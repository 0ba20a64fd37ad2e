/**
 * Turning every failure into one bilingual message, a hint saying what to do next, and an
 * exit code. SDK errors are recognised by shape (`name`, `status`) so this module does not
 * load the SDK: `zw --help` stays fast.
 */
import { EXIT, type ExitCode } from './exit-codes';

/** A failure the CLI reports as is: message, what to do next, exit code. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.failure,
    readonly hint?: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const usageError = (message: string, hint?: string) =>
  new CliError(message, EXIT.usage, hint);

/** `notFound('应用', 'App', 'approval', 'zw apps list')` → 应用不存在 · App not found: approval */
export const notFound = (zh: string, en: string, ref: string, listCommand: string) =>
  new CliError(
    `${zh}不存在 · ${en} not found: ${ref}`,
    EXIT.notFound,
    `运行 ${listCommand} 查看 · run ${listCommand} to see what exists`,
  );

interface ProblemLike {
  code?: string;
  title?: string;
  detail?: string;
  errors?: { path: string; message: string }[];
}

interface SdkErrorLike {
  name: string;
  message: string;
  status?: number;
  code?: string;
  requestId?: string;
  problem?: ProblemLike;
  state?: unknown;
  lastState?: unknown;
}

const LOGIN = '运行 zw login · run zw login';

function apiHint(
  status: number,
  code: string | undefined,
  errors: readonly { path: string }[] = [],
  tokenFromEnv = false,
): string | undefined {
  // A platform-wide token (the admin's) belongs to no department: the command must name one.
  if (errors.some((e) => e.path === '/body/tenantId'))
    return '加上 --tenant <部门名称或 ID> · add --tenant <department name or id>';
  if (status === 401 && tokenFromEnv)
    return '令牌来自环境变量 ZHENGWU_TOKEN：换一个有效令牌，或 unset ZHENGWU_TOKEN 改用 zw login 保存的令牌 · the token comes from ZHENGWU_TOKEN: set a valid one, or unset it to use the one zw login stored';
  if (status === 401)
    return `令牌无效、过期或已吊销 · the token is invalid, expired or revoked: ${LOGIN}`;
  if (status === 403)
    return '请向相应职责的管理员（OIDC 登录）申请具有所需角色的令牌：业务令牌找租户或系统管理员，审计员令牌找审计管理员；未接入 OIDC 时找持有平台初始令牌的运维 · ask an administrator of the right duty (signed in through OIDC) for a token with the needed role: a tenant-admin or platform-admin for operational tokens, an audit-admin for auditor tokens; without OIDC, the operator holding the bootstrap token';
  if (status === 404)
    return '检查名称或 ID，或用 list 命令查看 · check the name or id, or look it up with a list command';
  if (code === 'already_exists')
    return '该名称已被使用，请换一个 · the name is taken: choose another';
  if (code === 'not_empty')
    return '先删除依赖它的资源，或加 --force · delete what depends on it first, or add --force';
  if (status === 409)
    return '等正在进行的操作结束后再试 · wait for the running operation to finish, then retry';
  if (code === 'quota_exceeded')
    return '配额不足：运行 zw tenants show 查看配额，或请租户管理员调整 · quota exceeded: see zw tenants show, or ask your tenant admin';
  if (code === 'plan_not_found')
    return '运行 zw marketplace 查看服务及其规格 · run zw marketplace for the services and their plans';
  if (status === 429) return '请求过于频繁，稍后重试 · rate limited: retry in a moment';
  if (status >= 500)
    return '平台暂时出错，稍后重试；如仍失败，请提供请求 ID · a platform error: retry later; quote the request id if it persists';
  return undefined;
}

/** A bilingual lead for the platform's own (often English-only) detail. */
function statusTitle(status: number): string {
  const titles: Record<number, string> = {
    400: '请求无效 · Bad request',
    401: '未认证 · Unauthenticated',
    403: '无权限 · Forbidden',
    404: '不存在 · Not found',
    409: '冲突 · Conflict',
    413: '内容过大 · Too large',
    415: '类型不支持 · Unsupported type',
    422: '被拒绝 · Refused',
    429: '请求过多 · Too many requests',
  };
  return titles[status] ?? (status >= 500 ? '平台错误 · Platform error' : `HTTP ${status}`);
}

function exitFor(status: number): ExitCode {
  if (status === 401 || status === 403) return EXIT.auth;
  if (status === 404) return EXIT.notFound;
  if (status === 409) return EXIT.conflict;
  if (status === 400 || status === 413 || status === 415 || status === 422) return EXIT.refused;
  return EXIT.failure;
}

/**
 * Maps anything thrown to a `CliError`; `baseUrl` names the platform in connection errors,
 * `tokenFromEnv` says the token came from `ZHENGWU_TOKEN` (so `zw login` would not help).
 */
export function toCliError(error: unknown, baseUrl?: string, tokenFromEnv = false): CliError {
  if (error instanceof CliError) return error;
  const e = error as SdkErrorLike;
  if (e && typeof e === 'object' && typeof e.name === 'string') {
    if (e.name === 'APIUserAbortError') return new CliError('已取消 · Canceled', EXIT.failure);
    if (e.name === 'APIConnectionError' || e.name === 'APIConnectionTimeoutError') {
      return new CliError(
        `无法连接平台 · Cannot reach the platform${baseUrl ? ` at ${baseUrl}` : ''}: ${e.message}`,
        EXIT.failure,
        '检查网络和平台地址（ZHENGWU_URL，或 zw login --url）· check the network and the platform URL (ZHENGWU_URL, or zw login --url)',
      );
    }
    if (typeof e.status === 'number') {
      const problem = e.problem ?? {};
      const fields = (problem.errors ?? []).map((f) => `  ${f.path}: ${f.message}`);
      const text = problem.detail ?? problem.title ?? e.message;
      return new CliError(
        [`${statusTitle(e.status)}: ${text}${e.code ? ` (${e.code})` : ''}`, ...fields].join('\n'),
        exitFor(e.status),
        apiHint(e.status, e.code, problem.errors, tokenFromEnv),
        { status: e.status, code: e.code, requestId: e.requestId, errors: problem.errors },
      );
    }
    if (e.name === 'WaiterTimeoutError') {
      return new CliError(
        e.message,
        EXIT.failure,
        '操作仍在进行，稍后用 show 命令查看 · it is still running: check later with a show command',
      );
    }
    if (e.name === 'WaiterFailureError') return new CliError(e.message, EXIT.failure);
    if (e.name === 'ZhengwuError') return new CliError(e.message, EXIT.usage);
  }
  return new CliError(
    `意外错误 · Unexpected error: ${(error as Error)?.stack ?? String(error)}`,
    EXIT.failure,
  );
}
