import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import type {
  BindingSpec,
  Broker,
  Credentials,
  EngineInventory,
  EngineUsage,
  InstanceSpec,
  PoolHealth,
} from '../broker.js';
import {
  bindingAccess,
  bindingUsername,
  instanceName,
  type MqttEndpoint,
  mqttCredentials,
  newPassword,
  retainAvailable,
} from './access.js';
import { instanceRoles, readOnlyRole } from './mosquitto-acls.js';
import { DynsecAdmin, type DynsecCommand, type DynsecResponse } from './mosquitto-dynsec.js';

export interface MosquittoOptions {
  /** `ZW_MQTT_URL`: the broker with the dynsec admin's user and password. */
  url: string;
  /** Where apps connect, if not the admin URL's host and port (`ZW_MQTT_PUBLIC_URL`). */
  publicUrl?: string;
  /** `Instance.pool`. Default `mqtt-mosquitto`. */
  pool?: string;
  /** Instances this pool may hold. Default 1000. */
  capacity?: number;
}

const MEBIBYTE = 1024 * 1024;
const ALL = { verbose: false, count: -1, offset: 0 };

function endpointOf(url: string): MqttEndpoint {
  const parsed = new URL(url);
  const tls = parsed.protocol === 'mqtts:' || parsed.protocol === 'ssl:';
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: Number(parsed.port || (tls ? 8883 : 1883)),
    tls,
  };
}

/**
 * The external MQTT pool: Mosquitto 2 with its dynamic-security plugin, driven by JSON
 * commands from the admin user. An instance is two roles (`<name>`, `<name>_ro`) whose ACLs
 * cover `<name>/#`; a binding version is a dynsec client holding one of them. Mosquitto
 * kicks a client's live connections when it is deleted, so unbind needs nothing more.
 *
 * Dynsec has no per-client connection limit or retain switch: `limits.connections` is not
 * enforced, an instance with `retainAvailable: false` is refused rather than half-served,
 * and `usage()` reports retained bytes but not connections.
 */
export class MosquittoBroker implements Broker {
  readonly service = 'mqtt';
  readonly pool: string;
  readonly capacity: number;
  readonly #url: string;
  readonly #endpoint: MqttEndpoint;
  readonly #admin: DynsecAdmin;
  #defaultsSafe = false;

  constructor(options: MosquittoOptions) {
    this.#url = options.url;
    this.#endpoint = endpointOf(options.publicUrl ?? options.url);
    this.#admin = new DynsecAdmin(options.url);
    this.pool = options.pool ?? 'mqtt-mosquitto';
    this.capacity = options.capacity ?? 1000;
  }

  async health(): Promise<PoolHealth> {
    try {
      await this.#checkDefaults();
      return { available: true };
    } catch (error) {
      return { available: false, reason: (error as Error).message };
    }
  }

  async provision(instance: InstanceSpec): Promise<void> {
    if (!retainAvailable(instance)) {
      // The catalog promises retained publishes are refused; dynsec cannot do that per client.
      throw new Error(
        '此 Mosquitto 资源池不能按实例关闭保留消息 · This Mosquitto pool cannot turn retained messages off per instance',
      );
    }
    await this.#checkDefaults();
    const commands: DynsecCommand[] = [];
    for (const [rolename, acls] of instanceRoles(instanceName(instance))) {
      // Creating fails if the role exists; modifying then sets its ACLs either way.
      commands.push(
        { command: 'createRole', rolename, acls },
        { command: 'modifyRole', rolename, acls },
      );
    }
    await this.#run(commands, ['Role already exists']);
  }

  async update(instance: InstanceSpec): Promise<void> {
    // The roles do not depend on the plan; this re-applies them (and heals a lost one).
    await this.provision(instance);
  }

  async deprovision(instance: InstanceSpec): Promise<void> {
    const name = instanceName(instance);
    const roles = [...instanceRoles(name).keys()];
    const [listing] = await this.#run([{ command: 'listClients', ...ALL, verbose: true }]);
    const clients = ((listing?.data?.clients ?? []) as DynsecClient[])
      .filter((client) => client.username.startsWith('zw_'))
      .filter((client) => client.roles?.some((role) => roles.includes(role.rolename)));
    // Deleting a client also disconnects its live sessions.
    const deletions = clients.map((client) => ({
      command: 'deleteClient',
      username: client.username,
    }));
    if (deletions.length > 0) await this.#run(deletions, ['Client not found']);
    await this.#clearRetained(name);
    await this.#run(
      roles.map((rolename) => ({ command: 'deleteRole', rolename })),
      ['Role not found'],
    );
  }

  async bind(instance: InstanceSpec, binding: BindingSpec): Promise<Credentials> {
    const { readOnly } = bindingAccess(binding);
    const name = instanceName(instance);
    const username = bindingUsername(binding);
    const password = newPassword();
    await this.#putClient(username, password, readOnly ? readOnlyRole(name) : name);
    return mqttCredentials(this.#endpoint, name, username, password);
  }

  async unbind(_instance: InstanceSpec, binding: BindingSpec): Promise<void> {
    await this.#run(
      [{ command: 'deleteClient', username: bindingUsername(binding) }],
      ['Client not found'],
    );
  }

  async usage(instance: InstanceSpec): Promise<EngineUsage> {
    const kept = await this.#admin.retained(`${instanceName(instance)}/#`);
    return { storageMb: kept.reduce((sum, message) => sum + message.bytes, 0) / MEBIBYTE };
  }

  async inventory(): Promise<EngineInventory> {
    const [clients, roles] = await this.#run([
      { command: 'listClients', ...ALL },
      { command: 'listRoles', ...ALL },
    ]);
    const ours = (names: unknown) => ((names ?? []) as string[]).filter((n) => n.startsWith('zw_'));
    const instances = ours(roles?.data?.roles).map((role) => role.replace(/_ro$/, ''));
    return { instances: [...new Set(instances)], credentials: ours(clients?.data?.clients) };
  }

  async close(): Promise<void> {
    await this.#admin.close();
  }

  /** Creates the dynsec client, or gives an existing one this password and role. */
  async #putClient(username: string, password: string, rolename: string): Promise<void> {
    const roles = [{ rolename }];
    const [created] = await this.#run(
      [{ command: 'createClient', username, password, roles }],
      ['Client already exists', 'Role not found'],
    );
    if (created?.error === 'Role not found') {
      throw new Error('MQTT 实例不存在 · MQTT instance not found');
    }
    if (created?.error) {
      await this.#run([{ command: 'modifyClient', username, password, roles }]);
    }
  }

  /**
   * Removes the instance's retained messages, so nothing of a deprovisioned tenant stays in
   * the broker: the admin finds them, and a short-lived client holding the instance's role
   * (the admin may not publish there) overwrites each with an empty retained message.
   */
  async #clearRetained(name: string): Promise<void> {
    const janitor = `${name}_janitor`;
    const kept = await this.#admin.retained(`${name}/#`);
    if (kept.length === 0) {
      await this.#run([{ command: 'deleteClient', username: janitor }], ['Client not found']);
      return;
    }
    const password = newPassword();
    await this.#putClient(janitor, password, name);
    const url = new URL(this.#url);
    url.username = janitor;
    url.password = password;
    try {
      const client = await mqtt.connectAsync(url.toString(), {
        clientId: `${janitor}_${randomBytes(8).toString('hex')}`,
        reconnectPeriod: 0,
        connectTimeout: 10_000,
      });
      try {
        for (const { topic } of kept) {
          await client.publishAsync(topic, Buffer.alloc(0), { qos: 1, retain: true });
        }
      } finally {
        await client.endAsync();
      }
    } finally {
      await this.#run([{ command: 'deleteClient', username: janitor }], ['Client not found']);
    }
  }

  /**
   * Tenants are isolated only if publishing and subscribing default to deny; a broker set
   * up otherwise is reported unavailable rather than used.
   */
  async #checkDefaults(): Promise<void> {
    if (this.#defaultsSafe) return;
    const [defaults] = await this.#run([{ command: 'getDefaultACLAccess' }]);
    const acls = (defaults?.data?.acls ?? []) as { acltype: string; allow: boolean }[];
    const open = acls.filter(
      (acl) => (acl.acltype === 'publishClientSend' || acl.acltype === 'subscribe') && acl.allow,
    );
    if (open.length > 0 || acls.length === 0) {
      throw new Error(
        `Mosquitto 默认 ACL 未拒绝发布与订阅，无法隔离租户 · Mosquitto's default ACL access must deny publishClientSend and subscribe to isolate tenants`,
      );
    }
    this.#defaultsSafe = true;
  }

  /** Runs dynsec commands; any error not in `tolerated` fails the call (without secrets). */
  async #run(commands: DynsecCommand[], tolerated: string[] = []): Promise<DynsecResponse[]> {
    const responses = await this.#admin.run(commands);
    const failed = responses.find((r) => r.error && !tolerated.includes(r.error));
    if (failed) {
      throw new Error(
        `Mosquitto 动态安全命令失败 · Mosquitto dynamic-security command ${failed.command} failed: ${failed.error}`,
      );
    }
    return responses;
  }
}

interface DynsecClient {
  username: string;
  roles?: { rolename: string }[];
}
