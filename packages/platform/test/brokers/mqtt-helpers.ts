import { SERVICE_DEFINITIONS } from '@zhengwu/catalog';
import { Ajv2020 } from 'ajv/dist/2020.js';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { BindingSpec, Broker, Credentials, InstanceSpec } from '../../src/brokers/broker.js';
import { newId } from '../../src/ids.js';

/** Shared by the MQTT broker tests: specs, clients that connect with credentials only. */

const mqttService = SERVICE_DEFINITIONS.find((service) => service.id === 'mqtt')!;
const validateCredentials = new Ajv2020({ strict: false, allErrors: true }).compile(
  mqttService.schemas.credentials,
);

/** What the catalog's mqtt `credentials` schema finds wrong with `credentials` (none: []). */
export function catalogViolations(credentials: Credentials): string[] {
  validateCredentials(credentials);
  return (validateCredentials.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

export function instanceSpec(
  tenantId: string,
  options: { parameters?: Record<string, unknown>; connections?: number } = {},
): InstanceSpec {
  return {
    id: newId('ins'),
    tenantId,
    plan: 'dev',
    limits: { connections: options.connections ?? 100, messagesPerSecond: 100 },
    parameters: { retainAvailable: true, ...options.parameters },
  };
}

export function bindingSpec(parameters: Record<string, unknown> = {}, version = 1): BindingSpec {
  return { id: newId('bnd'), version, parameters };
}

/** An instance of tenant `ten_a` with one binding: its credentials and topic prefix. */
export async function provisionedApp(broker: Broker): Promise<{
  instance: InstanceSpec;
  credentials: Credentials;
  prefix: string;
}> {
  const instance = instanceSpec('ten_a');
  await broker.provision(instance);
  const credentials = await broker.bind(instance, bindingSpec());
  return { instance, credentials, prefix: String(credentials.topicPrefix) };
}

export const nextVersion = (binding: BindingSpec): BindingSpec => ({
  ...binding,
  version: binding.version + 1,
});

/** Every client a test opened, ended after each test. */
export const openClients = new Set<MqttClient>();

export async function endClients(): Promise<void> {
  await Promise.all([...openClients].map((client) => client.endAsync(true)));
  openClients.clear();
}

/** Connects with nothing but the returned `uri` (which carries username and password). */
export async function connectWith(
  credentials: Credentials,
  options: IClientOptions = {},
): Promise<MqttClient> {
  const client = mqtt.connect(String(credentials.uri), {
    reconnectPeriod: 0,
    connectTimeout: 5000,
    ...options,
  });
  openClients.add(client);
  // Refusals and dropped connections are asserted by the tests, not thrown as events.
  client.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
    client.once('close', () => reject(new Error('closed before CONNACK')));
  });
  return client;
}

/** The CONNACK code a refused connection got (fails the test if it was accepted). */
export async function refusalCode(
  credentials: Credentials,
  options: IClientOptions = {},
): Promise<number> {
  const outcome = await connectWith(credentials, options).then(
    () => undefined,
    (error: { code?: number }) => error.code ?? -1,
  );
  if (outcome === undefined) throw new Error('connection was accepted');
  return outcome;
}

/** The SUBACK failure code of a one-filter SUBSCRIBE, or 'granted'. */
export function subscribeOutcome(client: MqttClient, filter: string): Promise<number | 'granted'> {
  return new Promise((resolve, reject) =>
    client.subscribe(filter, { qos: 1 }, (error) => {
      if (!error) return resolve('granted');
      const code = (error as { packet?: { granted?: number[]; reasonCode?: number } }).packet
        ?.granted?.[0];
      return code === undefined ? reject(error) : resolve(code);
    }),
  );
}

export interface Received {
  topic: string;
  payload: string;
  qos: number;
  retain: boolean;
}

/** Collects every message the client receives from now on. */
export function inbox(client: MqttClient): Received[] {
  const messages: Received[] = [];
  client.on('message', (topic, payload, packet) =>
    messages.push({ topic, payload: payload.toString(), qos: packet.qos, retain: packet.retain }),
  );
  return messages;
}

/** Waits until `predicate` holds (polling), failing after `ms`. */
export async function eventually(
  predicate: () => boolean | Promise<boolean>,
  ms = 3000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once the client's connection has closed (or at once if it already has). */
export function closed(client: MqttClient): Promise<void> {
  if (!client.connected) return Promise.resolve();
  return new Promise((resolve) => client.once('close', () => resolve()));
}
