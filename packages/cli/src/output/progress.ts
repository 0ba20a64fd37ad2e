/**
 * The deploy progress display on stderr. On a terminal, a block of steps redrawn in place with
 * a spinner, log lines scrolling above it; elsewhere (CI logs, pipes), one line per change.
 */
import type { TextSink } from '../io';
import type { Style } from './style';
import { displayWidth, truncate } from './width';

export const STEPS = [
  { id: 'validate', zh: '校验', en: 'validate' },
  { id: 'upload', zh: '上传', en: 'upload' },
  { id: 'build', zh: '构建', en: 'build' },
  { id: 'provision', zh: '开通服务', en: 'provision' },
  { id: 'release', zh: '发布命令', en: 'release' },
  { id: 'rollout', zh: '滚动部署', en: 'rollout' },
  { id: 'url', zh: '访问地址', en: 'URL' },
] as const;

export type StepId = (typeof STEPS)[number]['id'];
type Status = 'waiting' | 'running' | 'done' | 'skipped' | 'failed';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export class Progress {
  readonly #status = new Map<StepId, { status: Status; detail: string; started: number }>();
  #lines = 0;
  #frame = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #stopped = false;

  constructor(
    private readonly sink: TextSink,
    private readonly live: boolean,
    private readonly style: Style,
    /** Terminal width: live lines are cut to it, so the redraw counts lines right. */
    private readonly columns?: number,
  ) {
    for (const s of STEPS) this.#status.set(s.id, { status: 'waiting', detail: '', started: 0 });
  }

  start(id: StepId, detail = ''): void {
    this.#set(id, 'running', detail);
    if (this.live && !this.#timer) {
      this.#timer = setInterval(() => {
        this.#frame = (this.#frame + 1) % FRAMES.length;
        this.#redraw();
      }, 100);
      this.#timer.unref?.();
    }
  }

  /** Changes a running step's detail (a live display only; plain output stays quiet). */
  update(id: StepId, detail: string): void {
    const step = this.#status.get(id)!;
    step.detail = detail;
    if (this.live) this.#redraw();
  }

  done(id: StepId, detail?: string): void {
    this.#set(id, 'done', detail);
  }

  skip(id: StepId, detail?: string): void {
    this.#set(id, 'skipped', detail);
  }

  fail(id: StepId, detail?: string): void {
    this.#set(id, 'failed', detail);
  }

  /** The step currently running, if any. */
  get current(): StepId | undefined {
    return STEPS.find((s) => this.#status.get(s.id)!.status === 'running')?.id;
  }

  /** A log line, printed above the live block (or as is). */
  log(line: string): void {
    if (!this.live) {
      this.sink.write(`  ${this.style.dim('│')} ${line}\n`);
      return;
    }
    this.#clear();
    this.sink.write(`  ${this.style.dim('│')} ${line}\n`);
    this.#draw();
  }

  /** Stops the spinner; the block stays on screen as it is. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.live) this.#redraw();
    this.#lines = 0;
  }

  #set(id: StepId, status: Status, detail?: string): void {
    const step = this.#status.get(id)!;
    const elapsed = step.started ? Date.now() - step.started : 0;
    step.status = status;
    if (detail !== undefined) step.detail = detail;
    if (status === 'running') step.started = Date.now();
    if (this.live) this.#redraw();
    else this.sink.write(`${this.#line(id, elapsed)}\n`);
  }

  #line(id: StepId, elapsed = 0): string {
    const meta = STEPS.find((s) => s.id === id)!;
    const { status, detail } = this.#status.get(id)!;
    const s = this.style;
    const icon =
      status === 'done'
        ? s.green('✔')
        : status === 'failed'
          ? s.red('✘')
          : status === 'skipped'
            ? s.dim('–')
            : status === 'running'
              ? s.cyan(this.live ? FRAMES[this.#frame]! : '→')
              : s.dim('·');
    const label = `${meta.zh} ${meta.en}`;
    const time =
      !this.live && status === 'done' && elapsed >= 1000
        ? s.dim(` (${(elapsed / 1000).toFixed(1)}s)`)
        : '';
    const text = status === 'waiting' ? s.dim(label) : label;
    return `${icon} ${text}${detail ? `  ${s.dim(detail)}` : ''}${time}`;
  }

  #draw(): void {
    const width = this.columns ? this.columns - 1 : 0;
    const lines = STEPS.map((step) => {
      const line = this.#line(step.id);
      return width && displayWidth(line) > width ? truncate(line, width) : line;
    });
    this.sink.write(`${lines.join('\n')}\n`);
    this.#lines = lines.length;
  }

  #clear(): void {
    // Up to the block's first line, then clear to the end of the screen.
    if (this.#lines) this.sink.write(`\x1b[${this.#lines}A\x1b[0J`);
    this.#lines = 0;
  }

  #redraw(): void {
    this.#clear();
    this.#draw();
  }
}
