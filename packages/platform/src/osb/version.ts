import { OsbError, text } from './errors';

/** The OSB API versions this broker speaks (minor versions are additive). */
export const MIN_MINOR = 13;
export const MAX_MINOR = 17;

/**
 * The minor version of `X-Broker-API-Version: 2.<minor>`; 412 Precondition Failed when it
 * is missing or not 2.13–2.17. (2.16 lets a broker answer a missing header with 400; 412
 * for both keeps one rule for every version, and it is what 2.13–2.15 platforms know.)
 */
export function apiMinor(header: string | string[] | undefined): number {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value === undefined ? null : /^\s*2\.(\d{1,3})\s*$/.exec(value);
  const minor = match ? Number(match[1]) : Number.NaN;
  if (minor >= MIN_MINOR && minor <= MAX_MINOR) return minor;
  const given = value === undefined ? '' : `（收到 "${value.slice(0, 20)}"）`;
  const givenEn = value === undefined ? 'it is missing' : `got "${value.slice(0, 20)}"`;
  throw new OsbError(
    412,
    'PreconditionFailed',
    text(
      `须发送 X-Broker-API-Version 头，取值 2.${MIN_MINOR} 至 2.${MAX_MINOR}${given}`,
      `Send the X-Broker-API-Version header with 2.${MIN_MINOR} to 2.${MAX_MINOR} (2.${MAX_MINOR} recommended); ${givenEn}`,
    ),
  );
}

/** 412 for an endpoint the requested version does not define (e.g. fetching before 2.14). */
export function requireMinor(minor: number, needed: number, zh: string, en: string): void {
  if (minor >= needed) return;
  throw new OsbError(
    412,
    'PreconditionFailed',
    text(
      `${zh}需要 X-Broker-API-Version 2.${needed} 或更高`,
      `${en} needs X-Broker-API-Version 2.${needed} or later (got 2.${minor})`,
    ),
  );
}
