// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${resources.…}` placeholders are what these tests are about.
import { builtInCatalog, SERVICE_DEFINITIONS } from '@zhengwu/catalog';
import { describe, expect, it } from 'vitest';
import { checkManifest, type Manifest, parseManifest, resourceInstanceName } from '../src/index';
import { FIXTURES, fixture, positionOf } from './helpers';

const catalog = builtInCatalog();
const approval = fixture('approval.yaml');

/** Parses `text` (must be schema-valid) and checks it against the real catalog. */
function check(text: string) {
  const { manifest, document } = parseManifest(text);
  return checkManifest(manifest, { catalog, document });
}

const edit = (text: string, from: string, to: string) => {
  expect(text).toContain(from);
  return text.replace(from, () => to);
};

describe('checkManifest against the real catalog', () => {
  it.each(FIXTURES)('%s has no issues', (name) => {
    expect(check(fixture(name))).toEqual([]);
  });

  it('accepts the catalog in every shape: array, { services }, { data }, service definitions', () => {
    const { manifest } = parseManifest(edit(approval, 'type: postgresql', 'type: postgres'));
    const shapes = [
      catalog,
      { services: catalog },
      { data: catalog, nextCursor: null },
      SERVICE_DEFINITIONS,
    ];
    for (const shape of shapes) {
      expect(checkManifest(manifest, { catalog: shape }).map((i) => i.code)).toEqual([
        'unknown_service',
      ]);
    }
  });

  it('unknown service: unknown_service at /resources/<name>/type, listing what exists', () => {
    const text = edit(approval, 'type: postgresql', 'type: postgres');
    expect(check(text)).toEqual([
      {
        path: '/resources/db/type',
        code: 'unknown_service',
        message: expect.stringContaining('available: mqtt, mysql, object-storage, postgresql'),
        ...positionOf(text, 'postgres,'),
      },
    ]);
  });

  it('a service the live catalog lists as unavailable: service_unavailable with its reason', () => {
    const text = approval;
    const { manifest, document } = parseManifest(text);
    const live = catalog.map((s) =>
      s.id === 'postgresql'
        ? {
            ...s,
            available: false,
            unavailableReason: { zh: '引擎池已停止', en: 'the engine pool is down' },
          }
        : s,
    );
    expect(checkManifest(manifest, { catalog: live, document })).toEqual([
      {
        path: '/resources/db/type',
        code: 'service_unavailable',
        message:
          '服务 postgresql 当前不可开通：引擎池已停止 · service postgresql cannot be provisioned now: the engine pool is down',
        ...positionOf(text, 'postgresql,'),
      },
    ]);
  });

  it('unknown plan: plan_not_found at /resources/<name>/class', () => {
    const text = edit(
      approval,
      '{ type: postgresql, class: dev }',
      '{ type: postgresql, class: xl }',
    );
    expect(check(text)).toEqual([
      {
        path: '/resources/db/class',
        code: 'plan_not_found',
        message: expect.stringContaining('available: dev, s, m, l'),
        ...positionOf(text, 'xl }'),
      },
    ]);
  });

  it('params invalid against the plan’s instanceCreate schema: invalid_params inside params', () => {
    const text = edit(
      approval,
      '{ type: postgresql, class: dev }',
      '{ type: postgresql, class: dev, params: { extensions: [pg_trgm, no_such_ext], size: 3 } }',
    );
    const issues = check(text);
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      ['/resources/db/params/extensions/1', 'invalid_params'],
      ['/resources/db/params/size', 'invalid_params'],
    ]);
    expect(issues[0]).toMatchObject(positionOf(text, 'no_such_ext'));
    expect(issues[1]).toMatchObject(positionOf(text, 'size: 3'));
  });

  it('a service without parameters rejects any', () => {
    const text = edit(
      approval,
      '{ type: object-storage, class: dev }',
      '{ type: object-storage, class: dev, params: { versioning: true } }',
    );
    expect(check(text).map((i) => [i.path, i.code])).toEqual([
      ['/resources/files/params/versioning', 'invalid_params'],
    ]);
  });

  it('placeholder naming a resource that does not exist: unknown_resource', () => {
    const text = edit(approval, '${resources.db.uri}', '${resources.database.uri}');
    expect(check(text)).toEqual([
      expect.objectContaining({
        path: '/env/DATABASE_URL',
        code: 'unknown_resource',
        ...positionOf(text, '${resources.database.uri}'),
      }),
    ]);
  });

  it('placeholder with a credential key the service does not have: unknown_credential', () => {
    const text = edit(approval, '${resources.db.uri}', '${resources.db.url}');
    const [issue] = check(text);
    expect(issue).toMatchObject({ path: '/env/DATABASE_URL', code: 'unknown_credential' });
    expect(issue?.message).toContain(
      'available: uri, host, port, database, username, password, tls',
    );
  });

  it.each([
    '${resource.db.uri}',
    '${resources.db}',
    '${resources.db.uri',
    '${DB_URL}',
    'postgres://${resources.db.host',
  ])('malformed placeholder %s: placeholder_syntax', (bad) => {
    const text = edit(approval, '${resources.db.uri}', `"${bad}"`);
    expect(check(text).map((i) => [i.path, i.code])).toEqual([
      ['/env/DATABASE_URL', 'placeholder_syntax'],
    ]);
  });

  it('$${ escapes a placeholder, so it is not checked', () => {
    const text = edit(approval, '${resources.db.uri}', '"$${resources.nothing.here}"');
    expect(check(text)).toEqual([]);
  });

  it('env names the platform sets itself: reserved_env at the key', () => {
    const text = edit(approval, 'LOG_LEVEL: info', 'PORT: "9000"');
    expect(check(text)).toEqual([
      expect.objectContaining({
        path: '/env/PORT',
        code: 'reserved_env',
        ...positionOf(text, 'PORT: "9000"'),
      }),
    ]);
  });

  it('route to a process that does not exist: unknown_process', () => {
    const text = edit(approval, '{ path: /, process: web }', '{ path: /, process: www }');
    expect(check(text)).toEqual([
      expect.objectContaining({
        path: '/routes/0/process',
        code: 'unknown_process',
        ...positionOf(text, 'www }'),
      }),
    ]);
  });

  it('two routes with the same host and path: duplicate_route', () => {
    const text = edit(
      approval,
      '  - { path: /, process: web }',
      '  - { path: /, process: web }\n  - { path: /, process: worker }',
    );
    expect(check(text).map((i) => [i.path, i.code])).toEqual([
      ['/routes/1/path', 'duplicate_route'],
    ]);
  });

  it('scaling min above max: min_above_max, for the process and for a schedule', () => {
    const text = edit(
      edit(approval, 'scaling: { min: 1, max: 2 }', 'scaling: { min: 3, max: 2 }'),
      'min: 4\n',
      'min: 9\n',
    );
    expect(check(text)).toEqual([
      expect.objectContaining({
        path: '/processes/web/scaling/schedules/1/min',
        code: 'min_above_max',
        ...positionOf(text, 'min: 9', 'min: '.length),
      }),
      expect.objectContaining({
        path: '/processes/worker/scaling/min',
        code: 'min_above_max',
        message: 'min（3）大于 max（2）· min (3) is above max (2)',
        ...positionOf(text, 'min: 3', 'min: '.length),
      }),
    ]);
  });

  it.each([
    ['61 8 * * 1-5', 'Invalid value for minute'],
    ['0 25 * * *', 'Invalid value for hour'],
    ['0 8 L * *', 'only standard cron syntax'],
    ['0 8 ? * MON#2', 'only standard cron syntax'],
    ['0 8 * JAN-MAR mon-fri', undefined],
    ['0 8 31 2 *', 'never fires'],
  ])('cron "%s"', (bad, why) => {
    const text = edit(approval, '"0 8 * * 1-5"', `"${bad}"`);
    const issues = check(text);
    if (why === undefined) return expect(issues).toEqual([]);
    expect(issues).toEqual([
      expect.objectContaining({
        path: '/processes/web/scaling/schedules/0/start',
        code: 'invalid_cron',
        ...positionOf(text, `"${bad}"`),
      }),
    ]);
    expect(issues[0]?.message).toContain(why);
  });

  it.each([
    ['Asia/Beijing', 'unknown IANA time zone'],
    ['Mars/Olympus_Mons', 'unknown IANA time zone'],
    ['asia/shanghai', 'use "Asia/Shanghai"'],
  ])('unknown time zone %s: unknown_timezone', (bad, why) => {
    const text = edit(approval, 'timezone: Asia/Shanghai', `timezone: ${bad}`);
    const issues = check(text);
    expect(issues).toEqual([
      expect.objectContaining({
        path: '/processes/web/scaling/schedules/0/timezone',
        code: 'unknown_timezone',
        ...positionOf(text, bad),
      }),
    ]);
    expect(issues[0]?.message).toContain(why);
  });

  it('duplicate schedule names: duplicate_schedule at the second', () => {
    const text = edit(approval, 'name: may-filing-peak', 'name: office-hours');
    expect(check(text)).toEqual([
      expect.objectContaining({
        path: '/processes/web/scaling/schedules/1/name',
        code: 'duplicate_schedule',
        ...positionOf(text, 'office-hours', 0, 2),
      }),
    ]);
  });

  it('empty windows: endAt before startAt, start equal to end', () => {
    const text = edit(
      edit(approval, 'endAt: "2027-06-01T00:00:00+08:00"', 'endAt: "2027-04-01T00:00:00+08:00"'),
      'end: "0 18 * * 1-5"',
      'end: "0 8 * * 1-5"',
    );
    expect(check(text).map((i) => [i.path, i.code])).toEqual([
      ['/processes/web/scaling/schedules/0/end', 'empty_window'],
      ['/processes/web/scaling/schedules/1/endAt', 'empty_window'],
    ]);
  });

  it('cooldown longer than an hour: duration_too_long', () => {
    const text = edit(approval, 'scaleDown: 120s', 'scaleDown: 2h');
    expect(check(text).map((i) => [i.path, i.code])).toEqual([
      ['/processes/web/scaling/cooldown/scaleDown', 'duration_too_long'],
    ]);
  });

  it('one shared id used for two different instances: shared_id_conflict', () => {
    const text = edit(
      approval,
      '  files: { type: object-storage, class: dev }',
      '  files: { type: object-storage, class: dev, id: shared-one }\n  more: { type: redis, class: dev, id: shared-one }',
    );
    expect(check(text).map((i) => [i.path, i.code])).toEqual([
      ['/resources/more/id', 'shared_id_conflict'],
    ]);
  });

  it('an instance name over 63 characters: instance_name_too_long, unless an id names it', () => {
    const long = 'attachments-of-the-administrative-approval-matters-2026';
    const text = edit(
      approval,
      '  files: { type: object-storage, class: dev }',
      `  ${long}: { type: object-storage, class: dev }`,
    );
    expect(check(text).map((i) => [i.path, i.code])).toEqual([
      [`/resources/${long}`, 'instance_name_too_long'],
    ]);
    expect(check(text)[0]!.message).toContain(`approval-${long}`);
    const named = edit(
      approval,
      '  files: { type: object-storage, class: dev }',
      `  ${long}: { type: object-storage, class: dev, id: approval-files }`,
    );
    expect(check(named)).toEqual([]);
    expect(resourceInstanceName('approval', 'db')).toBe('approval-db');
    expect(resourceInstanceName('approval', 'db', 'shared-db')).toBe('shared-db');
  });

  it('without a catalog the catalog checks are skipped, the others still run', () => {
    const { manifest } = parseManifest(
      edit(
        edit(approval, 'type: postgresql', 'type: postgres'),
        '${resources.db.uri}',
        '${resources.nope.uri}',
      ),
    );
    expect(checkManifest(manifest).map((i) => [i.path, i.code, i.line])).toEqual([
      ['/env/DATABASE_URL', 'unknown_resource', undefined],
    ]);
  });

  it('a resource named like an Object.prototype member is not mistaken for one', () => {
    const { manifest } = parseManifest(fixture('minimal.yaml'));
    const withEnv: Manifest = {
      ...manifest,
      env: { X: '${resources.constructor.uri}' },
      routes: [{ path: '/', process: 'tostring' }],
    };
    expect(checkManifest(withEnv, { catalog }).map((i) => i.code)).toEqual([
      'unknown_resource',
      'unknown_process',
    ]);
  });
});
