/** `GET /v1/apps/{appId}/logs`: the log stream of an app (server-sent events). */
import { type LogQuery, streamLogs } from '../logs';
import { findApp, type Resolvers } from './lookup';

export const logResolvers: Resolvers<'streamAppLogs'> = {
  streamAppLogs: (ctx) => {
    const app = findApp(ctx, ctx.path.appId!);
    return streamLogs(
      ctx.rt,
      app.id,
      ctx.query as LogQuery,
      ctx.request.headers.get('last-event-id'),
      ctx.request.signal,
      {},
    );
  },
};
