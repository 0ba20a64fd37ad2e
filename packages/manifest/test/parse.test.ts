import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { formatIssue, ManifestError, parseManifest, validateManifest } from '../src/index';
import { FIXTURES, fixture, positionOf, thrownIssues } from './helpers';

const minimal = fixture('minimal.yaml');
const approval = fixture('approval.yaml');

describe('parseManifest: valid manifests', () => {
  it.each(FIXTURES)('%s parses to exactly what the YAML says (no defaults added)', (name) => {
    const text = fixture(name);
    const { manifest, document } = parseManifest(text, name);
    expect(manifest).toEqual(parseYaml(text));
    expect(document.fileName).toBe(name);
  });

  it.each(FIXTURES)(
    '%s round-trips: stringified and parsed again gives the same manifest',
    (name) => {
      const { manifest } = parseManifest(fixture(name));
      expect(parseManifest(stringify(manifest)).manifest).toEqual(manifest);
      // …and as JSON, the way the platform receives it in ReleaseCreate.manifest.
      expect(validateManifest(JSON.parse(JSON.stringify(manifest)))).toEqual({
        ok: true,
        manifest,
        issues: [],
      });
    },
  );

  it('keeps YAML 1.2 scalars as written (no yes/no booleans, dates stay strings)', () => {
    const text = `${minimal}env:\n  FLAG: "no"\n  DAY: "2027-05-01"\n`;
    expect(parseManifest(text).manifest.env).toEqual({ FLAG: 'no', DAY: '2027-05-01' });
  });
});

/** Replaces `from` (once, must exist) in `text`. */
const edit = (text: string, from: string, to: string) => {
  expect(text).toContain(from);
  return text.replace(from, () => to);
};

describe('parseManifest: each kind of bad input gives code, path, line and column', () => {
  it('wrong type: a port that is not an integer, at the value', () => {
    const text = edit(approval, 'port: 8080', 'port: eighty');
    const [issue, ...rest] = thrownIssues(() => parseManifest(text));
    expect(rest).toEqual([]);
    expect(issue).toEqual({
      path: '/processes/web/port',
      code: 'type',
      message: '必须是整数 · must be an integer',
      ...positionOf(text, 'port: eighty', 'port: '.length),
    });
  });

  it('unknown key, at the key, with the allowed keys in the message', () => {
    const text = edit(approval, '    memoryMb: 256\n', '    memoryMb: 256\n    memory: 1Gi\n');
    const [issue] = thrownIssues(() => parseManifest(text));
    expect(issue).toMatchObject({
      path: '/processes/web/memory',
      code: 'additionalProperties',
      ...positionOf(text, 'memory: 1Gi'),
    });
    expect(issue?.message).toContain('command, port, memoryMb, health, scaling');
  });

  it('bad app name', () => {
    const text = edit(minimal, 'name: hello', 'name: Hello_World');
    const [issue] = thrownIssues(() => parseManifest(text));
    expect(issue).toMatchObject({
      path: '/metadata/name',
      code: 'pattern',
      ...positionOf(text, 'Hello_World'),
    });
    expect(issue?.message).toMatch(/^应为2–63 个字符的名称.* · must be a name of 2–63 characters/);
  });

  it('bad process name: reported at the key', () => {
    const text = edit(approval, '  worker:', '  Worker_1:');
    const [issue] = thrownIssues(() => parseManifest(text));
    expect(issue).toMatchObject({
      path: '/processes/Worker_1',
      code: 'propertyNames',
      ...positionOf(text, 'Worker_1:'),
    });
    expect(issue?.message).toContain('invalid name: must be a process name of 1–30 characters');
  });

  it('bad label key: every pattern has wording in both languages', () => {
    const text = edit(
      approval,
      'labels: { classification: internal }',
      'labels: { Classification: internal }',
    );
    const [issue] = thrownIssues(() => parseManifest(text));
    expect(issue).toEqual({
      path: '/metadata/labels/Classification',
      code: 'propertyNames',
      message:
        '名称无效，应为标签键：小写字母开头，1–63 个字符（小写字母、数字、. _ / -） · invalid name: must be a label key of 1–63 characters (lowercase letters, digits, . _ / -) starting with a letter',
      ...positionOf(text, 'Classification'),
    });
  });

  it.each(['60', '1 minute', '5ms', '1.5m', 's'])('bad duration "%s"', (bad) => {
    const text = edit(approval, 'startupTimeout: 60s', `startupTimeout: "${bad}"`);
    const [issue] = thrownIssues(() => parseManifest(text));
    expect(issue).toMatchObject({
      path: '/processes/web/health/startupTimeout',
      code: 'pattern',
      message: '应为时长，如 60s、2m、1h30m · must be a duration such as 60s, 2m or 1h30m',
      ...positionOf(text, `"${bad}"`),
    });
  });

  it.each(['0 8 * * 1-5 2027', '@daily', '0 8 * *'])(
    'cron "%s" is not 5 fields: pattern',
    (bad) => {
      const text = edit(approval, '"0 8 * * 1-5"', `"${bad}"`);
      const [issue] = thrownIssues(() => parseManifest(text));
      expect(issue).toMatchObject({
        path: '/processes/web/scaling/schedules/0/start',
        code: 'pattern',
        ...positionOf(text, `"${bad}"`),
      });
      expect(issue?.message).toContain('must be a 5-field cron expression');
    },
  );

  it('missing required property: path names it, position is its parent', () => {
    const text = edit(minimal, '    command: node server.js\n', '    port: 8080\n');
    const [issue] = thrownIssues(() => parseManifest(text));
    expect(issue).toMatchObject({
      path: '/processes/web/command',
      code: 'required',
      message: '缺少必填项 · is required',
      ...positionOf(text, 'web:'),
    });
  });

  it('a schedule that mixes the two shapes is checked as the one-off shape it claims', () => {
    const text = edit(approval, 'startAt: "2027-05-01T00:00:00+08:00"', 'startAt: "May 1st"');
    const issues = thrownIssues(() => parseManifest(text));
    expect(issues).toEqual([
      expect.objectContaining({
        path: '/processes/web/scaling/schedules/1/startAt',
        code: 'format',
        ...positionOf(text, '"May 1st"'),
      }),
    ]);
  });

  it('an env number must be quoted; the message says so', () => {
    const text = edit(approval, 'LOG_LEVEL: info', 'WORKERS: 4');
    const [issue] = thrownIssues(() => parseManifest(text));
    expect(issue).toMatchObject({
      path: '/env/WORKERS',
      code: 'type',
      ...positionOf(text, 'WORKERS: 4', 'WORKERS: '.length),
    });
    expect(issue?.message).toContain('quote numbers');
  });

  it('scaling target takes exactly one metric', () => {
    const text = edit(approval, 'target: { cpu: 70 }', 'target: { cpu: 70, requestsPerSecond: 5 }');
    const [issue] = thrownIssues(() => parseManifest(text));
    expect(issue).toMatchObject({ path: '/processes/web/scaling/target', code: 'maxProperties' });
  });

  it('memoryMb out of range, and apiVersion/kind wrong, all reported at once in file order', () => {
    const text = edit(
      edit(approval, 'memoryMb: 256', 'memoryMb: 32'),
      'kind: App',
      'kind: Application',
    );
    const issues = thrownIssues(() => parseManifest(text));
    expect(issues.map((i) => [i.path, i.code, i.line])).toEqual([
      ['/kind', 'const', positionOf(text, 'Application').line],
      ['/processes/web/memoryMb', 'minimum', positionOf(text, 'memoryMb: 32').line],
    ]);
  });

  it('YAML syntax error: yaml_syntax with the position yaml reports', () => {
    const text = edit(minimal, 'kind: App', 'kind: [App');
    const [issue] = thrownIssues(() => parseManifest(text));
    expect(issue).toMatchObject({ path: '', code: 'yaml_syntax' });
    expect(issue?.line).toBeGreaterThanOrEqual(positionOf(text, '[App').line);
    expect(issue?.message).toMatch(/^YAML 语法错误 · YAML syntax error: /);
  });

  it('duplicate key: duplicate_key at the second occurrence', () => {
    const text = `${minimal}kind: App\n`;
    const [issue] = thrownIssues(() => parseManifest(text));
    expect(issue).toMatchObject({ code: 'duplicate_key', ...positionOf(text, 'kind: App', 0, 2) });
  });

  it('alias bombs are refused, not expanded', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const n of 'bcdefghij')
      bomb.push(
        `${n}: &${n} [${Array(10)
          .fill(`*${String.fromCharCode(n.charCodeAt(0) - 1)}`)
          .join(', ')}]`,
      );
    const [issue] = thrownIssues(() => parseManifest(bomb.join('\n')));
    expect(issue).toMatchObject({ path: '', code: 'yaml_syntax' });
  });

  it('an empty file is reported at its start', () => {
    expect(thrownIssues(() => parseManifest(''))).toEqual([
      {
        path: '',
        code: 'type',
        message: '必须是映射（键: 值） · must be a mapping (key: value)',
        line: 1,
        column: 1,
      },
    ]);
  });
});

describe('ManifestError', () => {
  it('prints one readable line per issue: file:line:column /path message', () => {
    const text = edit(approval, 'port: 8080', 'port: "8080"');
    const { line, column } = positionOf(text, '"8080"');
    try {
      parseManifest(text, 'apps/approval/zhengwu.yaml');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ManifestError);
      expect((error as ManifestError).fileName).toBe('apps/approval/zhengwu.yaml');
      expect((error as Error).message).toBe(
        `apps/approval/zhengwu.yaml:${line}:${column} /processes/web/port 必须是整数 · must be an integer`,
      );
    }
  });

  it('formats an issue without a position with the file name only', () => {
    expect(formatIssue({ path: '/env/X', code: 'c', message: 'm' })).toBe('zhengwu.yaml /env/X m');
  });
});
