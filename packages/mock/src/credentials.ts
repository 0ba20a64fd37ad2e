/**
 * Credentials a binding hands out, shaped per service like the real brokers' (uri, host,
 * port, username, password, database …) but clearly fake: every host is under
 * `mock.zhengwu.invalid` (the `.invalid` TLD never resolves) and nothing listens there.
 */
import { randomBase62 } from './ids';

const HOST = 'mock.zhengwu.invalid';

const ident = (name: string) => name.replaceAll('-', '_');

export function generateCredentials(
  service: string,
  instanceName: string,
  bindingName: string,
): Record<string, unknown> {
  const username = `u_${ident(bindingName)}_${randomBase62(4).toLowerCase()}`;
  const password = `mock_${randomBase62(20)}`;
  const host = `${service}.${HOST}`;
  const tls = { mode: 'require', gm: false };
  switch (service) {
    case 'postgresql':
    case 'mysql': {
      const port = service === 'postgresql' ? 5432 : 3306;
      const database = ident(instanceName);
      const query = service === 'postgresql' ? '?sslmode=require' : '?ssl-mode=REQUIRED';
      return {
        uri: `${service}://${username}:${password}@${host}:${port}/${database}${query}`,
        host,
        port,
        database,
        username,
        password,
        tls,
      };
    }
    case 'redis':
      return {
        uri: `rediss://${username}:${password}@${host}:6380/0`,
        host,
        port: 6380,
        username,
        password,
        keyPrefix: `${ident(instanceName)}:`,
        tls,
      };
    case 'rabbitmq': {
      const vhost = ident(instanceName);
      return {
        uri: `amqps://${username}:${password}@${host}:5671/${vhost}`,
        host,
        port: 5671,
        vhost,
        username,
        password,
        tls,
      };
    }
    case 'mqtt':
      return {
        uri: `mqtts://${username}:${password}@${host}:8883`,
        host,
        port: 8883,
        username,
        password,
        topicPrefix: `${ident(instanceName)}/`,
        tls,
      };
    case 'object-storage':
      return {
        endpoint: `https://${HOST}`,
        region: 'cn-zhejiang-mock',
        bucket: instanceName,
        accessKeyId: `MOCK${randomBase62(16).toUpperCase()}`,
        secretAccessKey: `mock_${randomBase62(36)}`,
        forcePathStyle: true,
        tls,
      };
    default:
      return { uri: `${service}://${username}:${password}@${host}`, host, username, password };
  }
}
