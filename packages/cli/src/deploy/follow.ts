/**
 * Following a release to the end: the release's state drives the progress steps (build →
 * provision → release command → rollout), and its build and release log lines stream above
 * them. The platform provisions and binds the manifest's resources inside the release, after
 * the build: a release still `building` with its artifact made is provisioning.
 */
import type { Schemas, WaiterOptions, Zhengwu } from '@zhengwu/sdk';
import type { Progress, StepId } from '../output/progress';
import { waitRelease } from '../wait';

type App = Schemas['App'];
type Release = Schemas['Release'];

/** Which step each release state means is running, and which are done by then. */
const PHASES: Record<Release['state'], { running?: StepId; done: StepId[] }> = {
  pending: { running: 'build', done: [] },
  building: { running: 'build', done: [] },
  releasing: { running: 'release', done: ['build', 'provision'] },
  deploying: { running: 'rollout', done: ['build', 'provision', 'release'] },
  succeeded: { done: ['build', 'provision', 'release', 'rollout'] },
  failed: { done: [] },
  superseded: { done: [] },
};
const PROVISIONING = { running: 'provision', done: ['build'] } as const;

/** Failure codes that say which step failed. */
const FAILED_STEP: Record<string, StepId> = {
  build_failed: 'build',
  release_failed: 'release',
  unhealthy: 'rollout',
};

/** The phase a release is in: `building` with its artifact made means provisioning. */
const phaseOf = (r: Release) =>
  r.state === 'building' && r.artifactSha256 ? PROVISIONING : PHASES[r.state];

const SHOWN_SOURCES = new Set(['build', 'release', 'router']);

export interface FollowOptions {
  logs: boolean;
  waiter: WaiterOptions;
  /** What the provision step says once done; `null` when the caller already skipped it. */
  provision: string | null;
}

export async function followRelease(
  client: Zhengwu,
  app: App,
  release: Release,
  progress: Progress,
  options: FollowOptions,
): Promise<Release> {
  const started = new Set<StepId>();
  const finished = new Set<StepId>();
  if (options.provision === null) {
    started.add('provision');
    finished.add('provision');
  }
  let latest = release;
  const show = (r: Release) => {
    latest = r;
    showPhase(phaseOf(r));
  };
  function showPhase(phase: { running?: StepId; done: readonly StepId[] }) {
    const r = latest;
    for (const step of phase.done) {
      if (finished.has(step)) continue;
      if (!started.has(step)) progress.start(step);
      const artifact = step === 'build' && r.artifactSha256;
      const detail =
        step === 'provision'
          ? options.provision || undefined
          : artifact
            ? `sha256 ${r.artifactSha256!.slice(0, 12)}`
            : undefined;
      progress.done(step, detail);
      started.add(step);
      finished.add(step);
    }
    if (phase.running && !started.has(phase.running)) {
      started.add(phase.running);
      progress.start(phase.running);
    }
  }
  show(release);

  const stopLogs = new AbortController();
  const outer = options.waiter.signal;
  outer?.addEventListener('abort', () => stopLogs.abort(), { once: true });
  const logTask = options.logs
    ? (async () => {
        const stream = client.apps.logs.stream(
          app.id,
          { follow: true, tail: 200 },
          { signal: stopLogs.signal, timeout: 0, maxRetries: 0 },
        );
        for await (const entry of stream) {
          if (entry.releaseId === release.id && SHOWN_SOURCES.has(entry.source)) {
            // The release command can be over between two polls: its output says it ran.
            if (entry.source === 'release') showPhase(PHASES.releasing);
            progress.log(`${entry.source === 'build' ? '' : `[${entry.source}] `}${entry.message}`);
          }
        }
      })().catch(() => {})
    : undefined;

  try {
    const final = await waitRelease(client, app, release, {
      ...options.waiter,
      onPoll: (r) => show(r as Release),
    });
    show(final);
    return final;
  } catch (error) {
    // The step the failure names, else the one that was running.
    const failed = await client.apps.releases.retrieve(app.id, release.id).catch(() => undefined);
    const step = FAILED_STEP[failed?.failure?.code ?? ''] ?? progress.current;
    if (step === 'release') showPhase(PHASES.releasing);
    if (step === 'rollout') showPhase(PHASES.deploying);
    if (step) {
      if (!started.has(step)) progress.start(step);
      progress.fail(step);
    }
    throw error;
  } finally {
    // Let the last lines (route switch) arrive before the stream is closed.
    if (logTask) await new Promise((resolve) => setTimeout(resolve, 200));
    stopLogs.abort();
    await logTask;
  }
}
