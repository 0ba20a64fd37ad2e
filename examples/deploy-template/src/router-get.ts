import { lookup } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';

/**
 * `*.localhost` names are loopback (RFC 6761), but not every resolver knows that: a local
 * platform's app URLs (`http://<app>.<tenant>.localhost:7070/`) go to 127.0.0.1 here, every
 * other name through DNS as usual.
 */
const loopbackForLocalhost: LookupFunction = (hostname, options, callback) => {
  if (hostname !== 'localhost' && !hostname.endsWith('.localhost')) {
    lookup(hostname, options, callback);
  } else if (options.all) {
    callback(null, [{ address: '127.0.0.1', family: 4 }]);
  } else {
    callback(null, '127.0.0.1', 4);
  }
};

export interface RouterResponse {
  status: number;
  contentType: string;
  body: string;
}

/** GETs an app's URL: the request goes to the platform's router, which forwards it to a replica. */
export function routerGet(url: string): Promise<RouterResponse> {
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { lookup: loopbackForLocalhost, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type'] ?? ''),
          body,
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
