import { Problem } from './problem.js';

/**
 * 密级 and 紧急程度 (GB/T 9704-2012 版头 marks). This system is an ordinary government network
 * system: it may hold 公开 and 内部 documents only. 国家秘密 (秘密/机密/绝密) belong on the
 * classified network under the 保密法, so they are refused at the door with a clear message
 * rather than stored and "protected".
 */

export const CLASSIFICATIONS = {
  public: '公开 · Public',
  internal: '内部 · Internal',
};

/** Marks of classified documents, in either language, all refused. */
const CLASSIFIED = new Set([
  'secret',
  'confidential',
  'top_secret',
  'top-secret',
  '秘密',
  '机密',
  '绝密',
]);
const ALIASES = /** @type {Record<string, keyof typeof CLASSIFICATIONS>} */ ({
  公开: 'public',
  内部: 'internal',
});

export const URGENCIES = {
  extra_urgent: '特急 · Extra urgent',
  urgent: '加急 · Urgent',
  normal: '平件 · Normal',
};
const URGENCY_ALIASES = /** @type {Record<string, keyof typeof URGENCIES>} */ ({
  特急: 'extra_urgent',
  加急: 'urgent',
  平件: 'normal',
});

/** 文种 (the 15 kinds of 党政机关公文处理工作条例 art. 8, the common ones). */
export const DOC_TYPES = [
  '决定',
  '命令',
  '公报',
  '公告',
  '通告',
  '意见',
  '通知',
  '通报',
  '报告',
  '请示',
  '批复',
  '议案',
  '函',
  '纪要',
];

/**
 * The stored classification code, or a refusal.
 * @param {string} value
 * @returns {keyof typeof CLASSIFICATIONS}
 */
export function acceptClassification(value) {
  const code = ALIASES[value] ?? value;
  if (Object.hasOwn(CLASSIFICATIONS, code))
    return /** @type {keyof typeof CLASSIFICATIONS} */ (code);
  if (CLASSIFIED.has(value.toLowerCase())) {
    throw new Problem(
      'classified_not_allowed',
      `密级为「${value}」的涉密公文不得在本系统登记或流转，请通过涉密网络和机要渠道办理 · ` +
        `A document classified "${value}" must not be registered or processed on this system; ` +
        'use the classified network and confidential channels',
      { errors: [{ path: 'body/classification', message: 'classified documents are refused' }] },
    );
  }
  throw new Problem('validation_failed', `未知密级 · Unknown classification ${value}`, {
    errors: [
      {
        path: 'body/classification',
        message: `must be one of ${Object.keys(CLASSIFICATIONS).join(', ')}`,
      },
    ],
  });
}

/**
 * @param {string} value
 * @returns {keyof typeof URGENCIES}
 */
export function acceptUrgency(value) {
  const code = URGENCY_ALIASES[value] ?? value;
  if (Object.hasOwn(URGENCIES, code)) return /** @type {keyof typeof URGENCIES} */ (code);
  throw new Problem('validation_failed', `未知紧急程度 · Unknown urgency ${value}`, {
    errors: [
      { path: 'body/urgency', message: `must be one of ${Object.keys(URGENCIES).join(', ')}` },
    ],
  });
}
