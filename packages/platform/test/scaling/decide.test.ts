import { describe, expect, it } from 'vitest';
import {
  type DecideInput,
  decide,
  type PolicyInput,
  recommendation,
  type ScheduleInput,
} from '../../src/scaling/decide';
import { observedValue, retainSamples } from '../../src/scaling/samples';
import type { MetricSample } from '../../src/scaling/tables';

/** The decision instant: every test sets its own clock, nothing reads the machine's. */
const NOW = new Date('2026-11-26T09:00:00Z');
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000);
const sample = (secondsAgo: number, value: number, replicas: number): MetricSample => ({
  at: NOW.getTime() - secondsAgo * 1000,
  value,
  replicas,
});

const cpu70: PolicyInput = {
  min: 1,
  max: 10,
  metric: 'cpu',
  target: 70,
  scaleUpSeconds: 60,
  scaleDownSeconds: 300,
};

function input(overrides: Partial<DecideInput>): DecideInput {
  return {
    now: NOW,
    current: 4,
    policy: cpu70,
    schedule: null,
    ended: null,
    samples: [],
    lastScaleUpAt: null,
    lastScaleDownAt: null,
    ...overrides,
  };
}

/** Samples every 15 s over the last `seconds` (inclusive of both ends) at one value. */
const steady = (seconds: number, value: number, replicas: number) =>
  Array.from({ length: seconds / 15 + 1 }, (_, i) => sample(seconds - i * 15, value, replicas));

describe('proportional recommendation', () => {
  it('is ceil(replicas × observed / target), and the same replicas within ±10 %', () => {
    expect(recommendation({ at: 0, value: 95, replicas: 2 }, 70)).toBe(3);
    expect(recommendation({ at: 0, value: 105, replicas: 2 }, 70)).toBe(3);
    expect(recommendation({ at: 0, value: 76.9, replicas: 4 }, 70)).toBe(4);
    expect(recommendation({ at: 0, value: 63.1, replicas: 4 }, 70)).toBe(4);
    expect(recommendation({ at: 0, value: 77.1, replicas: 4 }, 70)).toBe(5);
    expect(recommendation({ at: 0, value: 20, replicas: 4 }, 70)).toBe(2);
  });
});

describe('scaling up', () => {
  it('holds within the tolerance', () => {
    const d = decide(input({ samples: [sample(0, 75, 4)] }));
    expect(d).toMatchObject({ replicas: 4, reason: null, note: 'tolerance' });
  });

  it('scales up proportionally outside it, with the metric in the reason', () => {
    const d = decide(input({ samples: [sample(0, 80, 4)] }));
    expect(d.replicas).toBe(5);
    expect(d.reason).toMatchObject({ kind: 'autoscaler', metric: 'cpu', observed: 80, target: 70 });
    expect(d.reason?.message.zh).toContain('CPU 利用率 80%');
    expect(d.reason?.message.en).toContain('4 → 5');
  });

  it('waits for the scale-up cooldown', () => {
    const hot = [sample(0, 95, 4)];
    expect(decide(input({ samples: hot, lastScaleUpAt: ago(59) }))).toMatchObject({
      replicas: 4,
      note: 'cooldown',
    });
    expect(decide(input({ samples: hot, lastScaleUpAt: ago(60) })).replicas).toBe(6);
    // A recent scale-down does not hold a scale-up back.
    expect(decide(input({ samples: hot, lastScaleDownAt: ago(1) })).replicas).toBe(6);
  });

  it('is clamped to the maximum, and holds at it', () => {
    expect(decide(input({ samples: [sample(0, 200, 4)] })).replicas).toBe(10);
    expect(decide(input({ current: 10, samples: [sample(0, 200, 10)] }))).toMatchObject({
      replicas: 10,
      note: 'at-bound',
    });
  });

  it('scales on requests per second per replica', () => {
    const rps: PolicyInput = { ...cpu70, metric: 'requestsPerSecond', target: 50 };
    const d = decide(input({ current: 3, policy: rps, samples: [sample(0, 120, 3)] }));
    expect(d.replicas).toBe(8);
    expect(d.reason).toMatchObject({ metric: 'requestsPerSecond', observed: 120, target: 50 });
  });

  it('does nothing without metrics', () => {
    expect(decide(input({ samples: [] })).note).toBe('no-metrics');
  });
});

describe('scaling down', () => {
  it('waits until the whole stabilisation window has been watched', () => {
    // Low for the last 120 s only: 300 s have not been watched yet.
    expect(decide(input({ samples: steady(120, 20, 4) }))).toMatchObject({
      replicas: 4,
      note: 'stabilising',
    });
    // Low for 300 s: down to ceil(4 × 20 / 70) = 2.
    const d = decide(input({ samples: steady(300, 20, 4) }));
    expect(d.replicas).toBe(2);
    expect(d.reason).toMatchObject({ kind: 'autoscaler', metric: 'cpu', observed: 20 });
  });

  it('follows the highest recommendation in the window', () => {
    const samples = steady(300, 20, 4);
    // One busy sample 150 s ago asks for 4 (within tolerance of 70 at 4 replicas): hold.
    samples[Math.floor(samples.length / 2)] = sample(150, 70, 4);
    expect(decide(input({ samples }))).toMatchObject({ replicas: 4, note: 'stabilising' });
    // Asking for 3 only: down to 3, not 2.
    samples[Math.floor(samples.length / 2)] = sample(150, 50, 4);
    expect(decide(input({ samples })).replicas).toBe(3);
  });

  it('waits for the scale-down cooldown after a scale-down', () => {
    const samples = steady(300, 20, 4);
    expect(decide(input({ samples, lastScaleDownAt: ago(299) }))).toMatchObject({
      replicas: 4,
      note: 'cooldown',
    });
    expect(decide(input({ samples, lastScaleDownAt: ago(300) })).replicas).toBe(2);
  });

  it('is clamped to the minimum, and holds at it', () => {
    const atMin = { ...cpu70, min: 3 };
    expect(decide(input({ policy: atMin, samples: steady(300, 5, 4) })).replicas).toBe(3);
    expect(decide(input({ current: 3, policy: atMin, samples: steady(300, 5, 3) }))).toMatchObject({
      replicas: 3,
      note: 'at-bound',
    });
  });

  it('with a zero-second window follows the latest sample at once', () => {
    const quick = { ...cpu70, scaleDownSeconds: 0 };
    expect(decide(input({ policy: quick, samples: [sample(0, 20, 4)] })).replicas).toBe(2);
  });
});

describe('bounds and schedules', () => {
  const office: ScheduleInput = {
    scheduleId: 'sch_office',
    name: 'office-hours',
    min: 6,
    max: 12,
    initialReplicas: null,
    started: false,
  };

  it('brings replicas below a schedule minimum up at once, whatever the cooldown', () => {
    const d = decide(
      input({ current: 2, schedule: office, lastScaleUpAt: ago(1), samples: [sample(0, 70, 2)] }),
    );
    expect(d.replicas).toBe(6);
    expect(d.reason).toMatchObject({ kind: 'schedule', scheduleId: 'sch_office' });
    expect(d.reason?.message.en).toContain('office-hours');
  });

  it('scales on the metric within the schedule bounds instead of the policy bounds', () => {
    const d = decide(input({ current: 8, schedule: office, samples: [sample(0, 200, 8)] }));
    expect(d.replicas).toBe(12);
    expect(d.reason?.kind).toBe('autoscaler');
  });

  it('a starting window sets its initial replicas (within its bounds)', () => {
    const started = { ...office, started: true, initialReplicas: 8 };
    expect(decide(input({ current: 2, schedule: started }))).toMatchObject({
      replicas: 8,
      reason: { kind: 'schedule', scheduleId: 'sch_office' },
    });
  });

  it('a starting window without initial replicas is recorded even when nothing changes', () => {
    const d = decide(input({ current: 7, schedule: { ...office, started: true } }));
    expect(d.replicas).toBe(7);
    expect(d.reason?.kind).toBe('schedule');
    expect(d.reason?.message.zh).toContain('开始');
  });

  it('an ending window hands back to the policy bounds', () => {
    const d = decide(
      input({ current: 12, ended: { scheduleId: 'sch_office', name: 'office-hours' } }),
    );
    expect(d.replicas).toBe(10);
    expect(d.reason).toMatchObject({ kind: 'schedule', scheduleId: 'sch_office' });
    expect(d.reason?.message.en).toContain('ended');
  });

  it('an ending window without a policy leaves the replicas as they are', () => {
    const d = decide(
      input({
        current: 12,
        policy: null,
        ended: { scheduleId: 'sch_office', name: 'office-hours' },
      }),
    );
    expect(d.replicas).toBe(12);
    expect(d.reason?.kind).toBe('schedule');
  });

  it('a schedule without a policy only keeps the bounds', () => {
    expect(decide(input({ current: 8, policy: null, schedule: office }))).toMatchObject({
      replicas: 8,
      note: 'no-policy',
    });
    expect(decide(input({ current: 20, policy: null, schedule: office })).replicas).toBe(12);
  });

  it('brings replicas outside the policy bounds inside at once', () => {
    const d = decide(input({ current: 0, policy: { ...cpu70, min: 2 } }));
    expect(d.replicas).toBe(2);
    expect(d.reason?.kind).toBe('autoscaler');
  });

  it('does nothing without a policy or a schedule', () => {
    expect(decide(input({ policy: null })).note).toBe('no-policy');
  });
});

describe('samples', () => {
  it('averages utilisation and shares requests per replica', () => {
    const m = { cpuPercent: [80, 60], requestsPerSecond: 300 };
    expect(observedValue('cpu', m, 2)).toBe(70);
    expect(observedValue('requestsPerSecond', m, 3)).toBe(100);
    expect(observedValue('memory', m, 2)).toBeNull();
    expect(observedValue('cpu', { cpuPercent: [], requestsPerSecond: 0 }, 2)).toBeNull();
    expect(observedValue('cpu', m, 0)).toBeNull();
  });

  it('keeps the window plus the newest sample before it', () => {
    const kept = retainSamples(
      [sample(500, 1, 1), sample(400, 2, 1), sample(310, 3, 1), sample(200, 4, 1), sample(0, 5, 1)],
      NOW,
      300,
    );
    expect(kept.map((s) => s.value)).toEqual([3, 4, 5]);
    expect(retainSamples([sample(900, 1, 1)], NOW, 300).map((s) => s.value)).toEqual([1]);
  });
});
