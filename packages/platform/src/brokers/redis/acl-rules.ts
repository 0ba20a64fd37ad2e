/**
 * The ACL rules that confine a binding to its instance's key and channel prefix in a shared
 * Redis (7.0 or later). A prefix-only rule (`~p:* &p:* +@all -@dangerous`) still leaks other
 * tenants' names and lets a tenant disturb them; each command denied below was measured to
 * do so on Redis 7.0.15 (see test/brokers/redis.test.ts).
 */

/**
 * Commands (or `command|subcommand`) a tenant never runs, beyond the `@dangerous` and
 * `@admin` categories (which already hold KEYS, INFO, FLUSHALL, CONFIG, CLIENT LIST/KILL,
 * MIGRATE, SWAPDB, MONITOR, SLOWLOG, DEBUG, …).
 */
export const DENIED_COMMANDS = [
  // Walk or count the whole keyspace: other tenants' key names and totals.
  'scan',
  'randomkey',
  'dbsize',
  'keys',
  // Leave database 0, where the prefix rule and deprovision's sweep apply. COPY … DB n
  // writes a key (inside the prefix) into another database.
  'select',
  'swapdb',
  'move',
  'copy',
  // PUBSUB CHANNELS / NUMSUB / NUMPAT / SHARD* list and count every tenant's channels.
  'pubsub',
  // BCAST tracking without a prefix delivers invalidations naming every key anyone writes;
  // REDIRECT pushes into another client's connection.
  'client|tracking',
  // Server-wide memory figures and allocator state; PURGE acts on the whole server.
  'memory|stats',
  'memory|doctor',
  'memory|malloc-stats',
  'memory|purge',
  // Functions are one server-wide namespace: LIST shows other tenants' code, FLUSH and
  // DELETE remove it, KILL stops their running function.
  'function',
  // The script cache is server-wide too: FLUSH empties it for all, KILL stops another
  // tenant's script, EXISTS probes what others loaded, DEBUG SYNC blocks the server.
  'script|flush',
  'script|kill',
  'script|exists',
  'script|debug',
  // In cluster mode these list and count any slot's keys.
  'cluster|countkeysinslot',
  'cluster|getkeysinslot',
] as const;

/**
 * Re-allowed after `-@dangerous`: Redis 7 refuses SORT's BY and GET patterns to a user
 * without access to every key, so plain SORT only touches the tenant's own keys.
 */
const READMITTED = ['+sort', '+sort_ro'];
const READ_ONLY_READMITTED = ['+sort_ro'];

/** Connection and read commands a read-only binding keeps besides `@read`. */
const READ_ONLY_EXTRAS = [
  '+@connection',
  '+@transaction',
  '+subscribe',
  '+psubscribe',
  '+unsubscribe',
  '+punsubscribe',
  '+ssubscribe',
  '+sunsubscribe',
  '+eval_ro',
  '+evalsha_ro',
  '+fcall_ro',
];

const ENGINE_NAME = /^zw_[a-z]+_[a-z0-9]+$/;

/** The key and channel prefix of an instance: its engine name and a colon. */
export function keyPrefix(instanceEngineName: string): string {
  // Glob characters in a prefix would widen the ACL pattern and the deprovision sweep.
  if (!ENGINE_NAME.test(instanceEngineName)) {
    throw new Error(`实例名无效 · Invalid instance engine name ${instanceEngineName}`);
  }
  return `${instanceEngineName}:`;
}

/**
 * `ACL SETUSER` arguments for a binding user. `reset` first, so a repeated bind replaces the
 * whole rule set (idempotent) rather than adding to it; `#` stores only the SHA-256.
 */
export function userRules(prefix: string, passwordSha256: string, readOnly: boolean): string[] {
  const deny = DENIED_COMMANDS.map((command) => `-${command}`);
  const head = ['reset', 'on', `#${passwordSha256}`, 'resetkeys', 'resetchannels'];
  if (readOnly) {
    // `%R~` makes the keys readable only: a write that slipped through the command rules
    // would still be refused on the key.
    return [
      ...head,
      `%R~${prefix}*`,
      `&${prefix}*`,
      '-@all',
      '+@read',
      ...READ_ONLY_EXTRAS,
      '-@dangerous',
      '-@admin',
      ...READ_ONLY_READMITTED,
      ...deny,
    ];
  }
  return [
    ...head,
    `~${prefix}*`,
    `&${prefix}*`,
    '+@all',
    '-@dangerous',
    '-@admin',
    ...READMITTED,
    ...deny,
  ];
}

/**
 * The users of `ACL LIST` whose key pattern is exactly the instance's prefix (a binding's
 * name carries the binding id, not the instance id, so the rule is what ties them).
 */
export function usersOfPrefix(aclList: string[], prefix: string): string[] {
  const patterns = new Set([`~${prefix}*`, `%R~${prefix}*`]);
  const users: string[] = [];
  for (const line of aclList) {
    const [kind, name, ...rules] = line.split(' ');
    if (kind === 'user' && name && rules.some((rule) => patterns.has(rule))) users.push(name);
  }
  return users;
}
