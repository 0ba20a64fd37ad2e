import { readdirSync, readFileSync } from 'node:fs';

/** CPU time and resident memory of every process group that has a member alive. */
export interface GroupUsage {
  /** utime + stime of the members, in clock ticks. */
  ticks: number;
  rssBytes: number;
}

/** Linux's USER_HZ: 100 on every mainstream architecture. */
const CLOCK_TICKS_PER_SECOND = 100;

let pageSize: number | undefined;

/** The page size, from the same process's RSS seen in pages (stat) and in kB (status). */
function pageBytes(): number {
  if (pageSize !== undefined) return pageSize;
  pageSize = 4096;
  try {
    const pages = Number(statFields(readFileSync('/proc/self/stat', 'utf8'))[21]);
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
    const guess = (kb * 1024) / pages;
    for (const size of [4096, 16384, 65536])
      if (Math.abs(guess - size) / size < 0.25) pageSize = size;
  } catch {
    // Not Linux: sampling reports nothing anyway.
  }
  return pageSize;
}

/** Fields after `(comm)` (which may hold spaces): index 0 is field 3 (state) of proc(5). */
function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** One pass over /proc: usage summed per process group of interest. Empty off Linux. */
export function sampleGroups(pgids: ReadonlySet<number>): Map<number, GroupUsage> {
  const out = new Map<number, GroupUsage>();
  if (pgids.size === 0) return out;
  let pids: string[];
  try {
    pids = readdirSync('/proc');
  } catch {
    return out;
  }
  const page = pageBytes();
  for (const pid of pids) {
    const first = pid.charCodeAt(0);
    if (first < 48 || first > 57) continue;
    let fields: string[];
    try {
      fields = statFields(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      continue; // exited meanwhile
    }
    // proc(5): pgrp is field 5, utime 14, stime 15, rss 24 (here minus 3).
    const pgrp = Number(fields[2]);
    if (!pgids.has(pgrp)) continue;
    const usage = out.get(pgrp) ?? { ticks: 0, rssBytes: 0 };
    usage.ticks += Number(fields[11]) + Number(fields[12]);
    usage.rssBytes += Number(fields[21]) * page;
    out.set(pgrp, usage);
  }
  return out;
}

/** CPU percent of one core between two samples (can exceed 100 with several threads). */
export function cpuPercent(ticksBefore: number, ticksNow: number, elapsedMs: number): number {
  if (elapsedMs <= 0) return 0;
  const seconds = Math.max(0, ticksNow - ticksBefore) / CLOCK_TICKS_PER_SECOND;
  return Math.round((seconds / (elapsedMs / 1000)) * 1000) / 10;
}

/**
 * Whether a process of the group is still running. Zombies do not count: an orphan whose
 * new parent (a container's PID 1) never reaps it has finished all the same.
 */
export function groupRunning(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  let pids: string[];
  try {
    pids = readdirSync('/proc');
  } catch {
    return true; // not Linux: the signal said some member exists
  }
  for (const pid of pids) {
    const first = pid.charCodeAt(0);
    if (first < 48 || first > 57) continue;
    try {
      const fields = statFields(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') return true;
    } catch {
      // exited meanwhile
    }
  }
  return false;
}
