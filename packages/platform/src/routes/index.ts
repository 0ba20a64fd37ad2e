import type { Handlers } from '../http/context';
import { catalogHandlers } from './catalog';
import { healthHandlers } from './health';

/** Every implemented operation; the rest answer 503 `unavailable` until their issue lands. */
export const handlers: Handlers = {
  ...healthHandlers,
  ...catalogHandlers,
};
