import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createPrompter, PromptCancelled } from '../src/prompt.js';

function fakeTerminal() {
  const input = new PassThrough();
  const output = new PassThrough();
  let written = '';
  output.on('data', (chunk) => (written += chunk));
  const prompter = createPrompter({ input, output });
  return { input, prompter, written: () => written };
}

describe('prompts over a fake stdin', () => {
  it('answers text questions with the default or a validated value', async () => {
    const t = fakeTerminal();
    const first = t.prompter.text('Name', { initial: 'zhengwu-app' });
    t.input.write('\n');
    expect(await first).toBe('zhengwu-app');

    const second = t.prompter.text('Name', {
      validate: (v) => (v.length > 2 ? null : 'too short'),
    });
    t.input.write('ab\n');
    t.input.write('  abc  \n');
    expect(await second).toBe('abc');
    expect(t.written()).toContain('✖ too short');
    t.prompter.close();
  });

  it('keeps answers that arrive before the question', async () => {
    const t = fakeTerminal();
    t.input.write('one\ntwo\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(await t.prompter.text('First')).toBe('one');
    expect(await t.prompter.text('Second')).toBe('two');
    t.prompter.close();
  });

  it('selects by number, by value, or the first on Enter, and re-asks on nonsense', async () => {
    const choices = [
      { value: 'approval', label: '行政审批' },
      { value: 'data-sharing', label: '数据共享' },
    ];
    const t = fakeTerminal();
    t.input.write('2\ndata-sharing\n\n9\napproval\n');
    expect(await t.prompter.select('Template', choices)).toBe('data-sharing');
    expect(await t.prompter.select('Template', choices)).toBe('data-sharing');
    expect(await t.prompter.select('Template', choices)).toBe('approval');
    expect(await t.prompter.select('Template', choices)).toBe('approval');
    expect(t.written()).toContain('  2) data-sharing — 数据共享');
    expect(t.written()).toContain('✖ 无此选项 · No such choice: 9');
    t.prompter.close();
  });

  it('confirms only on yes', async () => {
    const t = fakeTerminal();
    t.input.write('y\nN\n\n是\n');
    expect(await t.prompter.confirm('Go?')).toBe(true);
    expect(await t.prompter.confirm('Go?')).toBe(false);
    expect(await t.prompter.confirm('Go?')).toBe(false);
    expect(await t.prompter.confirm('Go?')).toBe(true);
    t.prompter.close();
  });

  it('rejects with PromptCancelled when input ends', async () => {
    const t = fakeTerminal();
    const pending = t.prompter.text('Name');
    t.input.end();
    await expect(pending).rejects.toBeInstanceOf(PromptCancelled);
    await expect(t.prompter.text('Again')).rejects.toBeInstanceOf(PromptCancelled);
  });
});
