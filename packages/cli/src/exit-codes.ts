/**
 * Exit codes of `zw`, stable for scripts. The README's table is kept equal to this one by a test.
 */
export const EXIT = {
  /** 成功 · Success. */
  ok: 0,
  /** 失败：平台错误、网络错误、发布失败、等待超时 · Failure: platform or network error, failed release, timeout. */
  failure: 1,
  /** 用法错误：未知命令、缺少参数、参数无效 · Usage error: unknown command, missing or invalid argument. */
  usage: 2,
  /** 未登录或无权限（401、403）· Not authenticated or not permitted (401, 403). */
  auth: 3,
  /** 不存在（404）· Not found (404). */
  notFound: 4,
  /** 冲突或状态不允许（409）· Conflict or invalid state (409). */
  conflict: 5,
  /** 被拒绝：校验、配额（400、413、415、422；清单无效）· Refused: validation or quota (400, 413, 415, 422; invalid manifest). */
  refused: 6,
  /** 被中断（Ctrl+C）· Interrupted (Ctrl+C). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
