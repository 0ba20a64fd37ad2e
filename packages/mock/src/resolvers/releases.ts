/** Source archives, releases and rollbacks. */

import { advance } from '../async-operations';
import { canonicalJson } from '../audit';
import { accepted, json, type RequestContext } from '../context';
import { checkReleaseQuota, startRelease } from '../deploy';
import { newId } from '../ids';
import { paginate } from '../pagination';
import { type FieldError, invalidField, notFound, ProblemError } from '../problems';
import { sha256Hex } from '../sm3';
import { type Model, remember } from '../state';
import { nowIso } from '../time';
import { catalogEntry } from './instances';
import { type Body, findApp, findLiveApp, type Resolvers } from './lookup';

const PROCESS_TYPE = /^[a-z](?:[a-z0-9-]{0,28}[a-z0-9])?$/;
/** An instance name (the contract's `ResourceName`). */
const INSTANCE_NAME = /^[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/** A gzip-compressed tar: gzip magic, and `ustar` at offset 257 of the first block. */
async function isTarGz(bytes: Uint8Array): Promise<boolean> {
  if (bytes.length < 18 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return false;
  if (typeof DecompressionStream === 'undefined') return true;
  try {
    const reader = new Blob([bytes as Uint8Array<ArrayBuffer>])
      .stream()
      .pipeThrough(new DecompressionStream('gzip'))
      .getReader();
    const head = new Uint8Array(512);
    let filled = 0;
    while (filled < 512) {
      const { done, value } = await reader.read();
      if (done) break;
      const take = Math.min(value.length, 512 - filled);
      head.set(value.subarray(0, take), filled);
      filled += take;
    }
    await reader.cancel().catch(() => {});
    return filled === 512 && new TextDecoder().decode(head.subarray(257, 262)) === 'ustar';
  } catch {
    return false;
  }
}

/** The checks the platform's manifest schema makes that matter to the mock. */
/** The manifest as the platform checks it; instance names are made from the app's name. */
function checkManifest(
  ctx: RequestContext,
  manifest: Record<string, unknown>,
  appName: string,
): void {
  const errors: FieldError[] = [];
  if (manifest.kind !== undefined && manifest.kind !== 'App') {
    errors.push({ path: '/body/manifest/kind', message: 'must be "App"', code: 'const' });
  }
  const processes = manifest.processes;
  if (processes !== undefined) {
    if (!processes || typeof processes !== 'object' || Array.isArray(processes)) {
      errors.push({
        path: '/body/manifest/processes',
        message: 'must be an object of processes',
        code: 'type',
      });
    } else {
      for (const [type, spec] of Object.entries(processes)) {
        if (!PROCESS_TYPE.test(type)) {
          errors.push({
            path: `/body/manifest/processes/${type}`,
            message: 'is not a valid process type',
            code: 'propertyNames',
          });
        } else if (
          !spec ||
          typeof spec !== 'object' ||
          typeof (spec as { command?: unknown }).command !== 'string'
        ) {
          errors.push({
            path: `/body/manifest/processes/${type}/command`,
            message: 'is required',
            code: 'required',
          });
        }
      }
    }
  }
  if (errors.length > 0)
    throw new ProblemError(
      'validation_failed',
      `${errors.length} problems in the manifest.`,
      errors,
    );
  const resources = manifest.resources;
  if (resources && typeof resources === 'object') {
    for (const [name, spec] of Object.entries(
      resources as Record<string, { type?: unknown; class?: unknown }>,
    )) {
      const base = `/body/manifest/resources/${name}`;
      if (typeof spec?.type !== 'string')
        throw invalidField(`${base}/type`, 'is required', 'required');
      if (
        (spec as { id?: unknown }).id === undefined &&
        !INSTANCE_NAME.test(`${appName}-${name}`)
      ) {
        throw invalidField(
          base,
          `would be instance ${appName}-${name}, longer than 63 characters: give it a shorter name with id`,
          'instance_name_too_long',
        );
      }
      catalogEntry(ctx, spec.type, String(spec.class ?? ''), `${base}/class`);
    }
  }
}

function findRelease(ctx: RequestContext, appId: string, releaseId: string): Model['Release'] {
  const release = ctx.state.releases.get(releaseId);
  if (!release || release.appId !== appId) throw notFound('Release', releaseId);
  return release;
}

export const releaseResolvers: Resolvers<
  'uploadSource' | 'listReleases' | 'createRelease' | 'getRelease' | 'rollbackApp'
> = {
  uploadSource: async (ctx) => {
    const app = findLiveApp(ctx, ctx.path.appId!);
    const bytes = ctx.body as Uint8Array;
    const sha256 = await sha256Hex(bytes);
    const claimed = ctx.request.headers.get('x-content-sha256');
    if (claimed && claimed !== sha256) {
      throw new ProblemError(
        'bad_request',
        `X-Content-Sha256 ${claimed} doesn't match the body's SHA-256 ${sha256}.`,
        [{ path: '/header/X-Content-Sha256', message: 'does not match the body', code: 'digest' }],
      );
    }
    if (!(await isTarGz(bytes))) {
      throw new ProblemError('bad_request', 'The body is not a gzip-compressed tar archive.', [
        { path: '/body', message: 'is not a tar.gz archive', code: 'format' },
      ]);
    }
    const source: Model['Source'] = {
      id: newId('src'),
      appId: app.id,
      sha256,
      sizeBytes: bytes.length,
      createdAt: nowIso(),
    };
    ctx.state.sources.set(source.id, source);
    remember(ctx.state, source.id);
    ctx.audit.target = { type: 'source', id: source.id };
    return json(source, 201);
  },

  listReleases: (ctx) => {
    const app = findApp(ctx, ctx.path.appId!);
    const releases = [...ctx.state.releases.values()]
      .filter((r) => r.appId === app.id)
      .sort((a, b) => b.version - a.version);
    return json(paginate(releases, (r) => r.version, ctx.query, `listReleases ${app.id}`));
  },

  createRelease: async (ctx) => {
    const app = findLiveApp(ctx, ctx.path.appId!);
    const body = ctx.body as Body<'createRelease'>;
    const source = ctx.state.sources.get(body.sourceId);
    if (!source || source.appId !== app.id) {
      throw invalidField(
        '/body/sourceId',
        `no source ${body.sourceId} uploaded to this app`,
        'not_found',
      );
    }
    checkManifest(ctx, body.manifest, app.name);
    checkReleaseQuota(ctx.rt, app, body.manifest);
    const artifactSha256 = await sha256Hex(`${source.sha256}\n${canonicalJson(body.manifest)}`);
    const release = startRelease(ctx.rt, {
      app,
      sourceId: source.id,
      rollbackOf: null,
      manifest: body.manifest,
      description: body.description ?? null,
      artifactSha256,
      requestId: ctx.requestId,
    });
    ctx.audit.target = { type: 'release', id: release.id };
    return accepted(release, `/v1/apps/${app.id}/releases/${release.id}`);
  },

  getRelease: (ctx) => {
    const app = findApp(ctx, ctx.path.appId!);
    findRelease(ctx, app.id, ctx.path.releaseId!);
    advance(ctx.rt, ctx.path.releaseId!);
    return json(findRelease(ctx, app.id, ctx.path.releaseId!));
  },

  rollbackApp: (ctx) => {
    const app = findLiveApp(ctx, ctx.path.appId!);
    const { releaseId } = ctx.body as Body<'rollbackApp'>;
    const target = ctx.state.releases.get(releaseId);
    if (
      !target ||
      target.appId !== app.id ||
      target.state !== 'succeeded' ||
      !target.artifactSha256
    ) {
      throw invalidField(
        '/body/releaseId',
        'must be a release of this app that succeeded',
        'succeeded',
      );
    }
    const release = startRelease(ctx.rt, {
      app,
      sourceId: null,
      rollbackOf: target,
      manifest: target.manifest,
      description: `回滚到 v${target.version} · Rollback to v${target.version}`,
      artifactSha256: target.artifactSha256,
      requestId: ctx.requestId,
    });
    ctx.audit.target = { type: 'release', id: release.id };
    return accepted(release, `/v1/apps/${app.id}/releases/${release.id}`);
  },
};
