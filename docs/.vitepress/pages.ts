/**
 * The site's hand-written pages, once for both locales: the link (without the `/en` prefix)
 * and the title in Chinese and English. The sidebars and the nav are built from it, and a
 * test checks that every page listed here exists in both locales.
 */
export interface Page {
  link: string;
  zh: string;
  en: string;
}

export interface Section {
  zh: string;
  en: string;
  /** First path segment the section's sidebar belongs to. */
  base: string;
  pages: Page[];
}

export const sections: Section[] = [
  {
    zh: '开始',
    en: 'Getting started',
    base: '/guide/',
    pages: [
      { link: '/guide/introduction', zh: '简介', en: 'Introduction' },
      { link: '/guide/quick-start', zh: '快速开始', en: 'Quick start' },
      { link: '/guide/examples', zh: '可运行示例', en: 'Runnable examples' },
    ],
  },
  {
    zh: '概念',
    en: 'Concepts',
    base: '/concepts/',
    pages: [
      { link: '/concepts/shared-cloud', zh: '政务云与政务云平台', en: 'Shared cloud and platform' },
      { link: '/concepts/architecture', zh: '架构', en: 'Architecture' },
      { link: '/concepts/tenants-and-quotas', zh: '租户与配额', en: 'Tenants and quotas' },
      { link: '/concepts/catalog', zh: '服务目录', en: 'The catalog' },
      { link: '/concepts/instances', zh: '服务实例', en: 'Instances' },
      { link: '/concepts/bindings', zh: '绑定与凭据', en: 'Bindings and credentials' },
      { link: '/concepts/apps', zh: '应用', en: 'Apps' },
      { link: '/concepts/releases', zh: '发布与回滚', en: 'Releases and rollback' },
      { link: '/concepts/scaling', zh: '弹性伸缩', en: 'Scaling' },
      { link: '/concepts/operations', zh: '异步操作与幂等', en: 'Operations and idempotency' },
      { link: '/concepts/security-and-audit', zh: '安全与审计', en: 'Security and audit' },
      { link: '/concepts/gm-crypto', zh: '国密模式', en: '国密 (GM) crypto mode' },
    ],
  },
  {
    zh: '开发商指南',
    en: 'Vendor guide',
    base: '/vendor/',
    pages: [
      { link: '/vendor/install', zh: '安装与配置', en: 'Install and configure' },
      { link: '/vendor/authentication', zh: '认证与令牌', en: 'Authentication and tokens' },
      { link: '/vendor/errors', zh: '类型化错误', en: 'Typed errors' },
      { link: '/vendor/retries-and-idempotency', zh: '重试与幂等', en: 'Retries and idempotency' },
      { link: '/vendor/waiters', zh: '等待器', en: 'Waiters' },
      { link: '/vendor/pagination', zh: '分页', en: 'Pagination' },
      { link: '/vendor/testing', zh: '用 @zhengwu/mock 测试', en: 'Testing with @zhengwu/mock' },
      { link: '/vendor/manifest', zh: '应用清单 zhengwu.yaml', en: 'The zhengwu.yaml manifest' },
      { link: '/vendor/deploy', zh: '部署与运维应用', en: 'Deploy and run apps' },
      { link: '/vendor/migration', zh: '迁移已有应用', en: 'Migrate an existing app' },
    ],
  },
  {
    zh: '应用模板',
    en: 'Templates',
    base: '/templates/',
    pages: [
      { link: '/templates/', zh: '模板一览', en: 'Gallery' },
      { link: '/templates/approval', zh: '行政审批', en: 'Administrative approval' },
      { link: '/templates/hotline', zh: '12345 热线工单', en: '12345 hotline work orders' },
      { link: '/templates/oa', zh: 'OA 公文', en: 'OA documents' },
      { link: '/templates/data-sharing', zh: '数据共享', en: 'Data sharing' },
    ],
  },
  {
    zh: '运维指南',
    en: 'Operator guide',
    base: '/operator/',
    pages: [
      { link: '/operator/', zh: '运行平台', en: 'Running the platform' },
      { link: '/operator/external-engines', zh: '外部引擎池', en: 'External engine pools' },
      { link: '/operator/configuration', zh: '配置参考', en: 'Configuration reference' },
      { link: '/operator/tls', zh: 'TLS', en: 'TLS' },
      { link: '/operator/identity', zh: 'OIDC 与角色', en: 'OIDC and roles' },
      {
        link: '/operator/open-service-broker',
        zh: 'Open Service Broker API',
        en: 'Open Service Broker API',
      },
      { link: '/operator/backups', zh: '备份与恢复', en: 'Backups and restore' },
      { link: '/operator/observability', zh: '监控与日志', en: 'Monitoring and logs' },
    ],
  },
];
