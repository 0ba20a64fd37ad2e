/**
 * The dynamic-security roles of one instance: `<name>` may publish, subscribe and receive
 * under `<name>/`; `<name>_ro` may only subscribe and receive. Publishing and subscribing
 * elsewhere fall to Mosquitto's default deny. Receiving defaults to allow, which would let a
 * client that takes over another tenant's persistent session (same client id) get its
 * queued messages, so each role also denies receiving anything outside its prefix.
 */
export interface DynsecAcl {
  acltype: 'publishClientSend' | 'publishClientReceive' | 'subscribePattern' | 'unsubscribePattern';
  topic: string;
  allow: boolean;
  /** Higher first: the prefix allows must win over the catch-all denies. */
  priority: number;
}

export const readOnlyRole = (name: string): string => `${name}_ro`;

/** The instance's roles by name, with their ACLs. */
export function instanceRoles(name: string): Map<string, DynsecAcl[]> {
  const within = `${name}/#`;
  const allow = (acltype: DynsecAcl['acltype']): DynsecAcl => ({
    acltype,
    topic: within,
    allow: true,
    priority: 1,
  });
  const denyReceive = ['#', '$SYS/#', '$CONTROL/#'].map(
    (topic): DynsecAcl => ({ acltype: 'publishClientReceive', topic, allow: false, priority: 0 }),
  );
  const reading = [
    allow('subscribePattern'),
    allow('unsubscribePattern'),
    allow('publishClientReceive'),
  ];
  return new Map([
    [name, [allow('publishClientSend'), ...reading, ...denyReceive]],
    [readOnlyRole(name), [...reading, ...denyReceive]],
  ]);
}
