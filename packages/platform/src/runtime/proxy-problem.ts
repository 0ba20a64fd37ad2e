import type { ServerResponse } from 'node:http';

export type RouterProblem = 'not_found' | 'unavailable' | 'bad_gateway';

const PROBLEMS: Record<RouterProblem, [number, string]> = {
  not_found: [404, 'Not found'],
  unavailable: [503, 'Unavailable'],
  bad_gateway: [502, 'Bad gateway'],
};

/** Writes an RFC 9457 problem as the API's (bilingual detail, request id), without Fastify. */
export function writeProblem(
  res: ServerResponse,
  code: RouterProblem,
  detail: string,
  instance: string,
  requestId: string,
  headers: Record<string, string> = {},
): void {
  const [status, title] = PROBLEMS[code];
  const body = JSON.stringify({
    type: `https://zhengwu.gov.cn/problems/${code}`,
    title,
    status,
    detail,
    instance,
    code,
    requestId,
  });
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(body),
    'x-request-id': requestId,
    'cache-control': 'no-store',
  });
  res.end(body);
}
