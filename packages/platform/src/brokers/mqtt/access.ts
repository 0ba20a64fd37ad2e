import { randomBytes } from 'node:crypto';
import { type BindingSpec, type Credentials, engineName, type InstanceSpec } from '../broker.js';

/**
 * What every MQTT pool shares: an instance is the topic prefix `<engine name>/`, a binding
 * version is a username (its engine name) with a random password, allowed to publish and
 * subscribe only under that prefix (read-only bindings: subscribe only).
 */

/** The instance's prefix without the trailing `/` (also its role or record name). */
export const instanceName = (instance: InstanceSpec): string => engineName(instance.id);

/** The username of one binding version. */
export const bindingUsername = (binding: BindingSpec): string =>
  engineName(binding.id, binding.version);

/** Whether `topic` (a topic name or a filter) lies inside the instance named `name`. */
export const insidePrefix = (topic: string, name: string): boolean => topic.startsWith(`${name}/`);

/** How a binding may use its instance, from its validated parameters. */
export interface BindingAccess {
  readOnly: boolean;
}

export function bindingAccess(binding: BindingSpec): BindingAccess {
  return { readOnly: binding.parameters.readOnly === true };
}

/** Retained messages are kept unless the instance's parameters turn them off. */
export const retainAvailable = (instance: InstanceSpec): boolean =>
  instance.parameters.retainAvailable !== false;

/** 192 random bits, URL-safe, so it also fits the `uri` without escaping. */
export const newPassword = (): string => randomBytes(24).toString('base64url');

/** Where apps reach the pool. */
export interface MqttEndpoint {
  host: string;
  port: number;
  tls: boolean;
}

/** Credentials in the catalog's mqtt `credentialsSchema` shape, telling the truth about TLS. */
export function mqttCredentials(
  endpoint: MqttEndpoint,
  instance: string,
  username: string,
  password: string,
): Credentials {
  const scheme = endpoint.tls ? 'mqtts' : 'mqtt';
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
  return {
    uri: `${scheme}://${encodeURIComponent(username)}:${encodeURIComponent(password)}@${host}:${endpoint.port}`,
    host: endpoint.host,
    port: endpoint.port,
    username,
    password,
    topicPrefix: `${instance}/`,
    tls: { mode: endpoint.tls ? 'require' : 'disable', gm: false },
  };
}
