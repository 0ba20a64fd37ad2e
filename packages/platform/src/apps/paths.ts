import { join } from 'node:path';

/** Where the local runtime keeps an app's files under the data directory. */
export const appDir = (dataDir: string, appId: string) => join(dataDir, 'apps', appId);
export const sourceFile = (dataDir: string, appId: string, sourceId: string) =>
  join(appDir(dataDir, appId), 'sources', `${sourceId}.tar.gz`);
/** The built, immutable directory of one release. */
export const releaseDir = (dataDir: string, appId: string, version: number) =>
  join(appDir(dataDir, appId), 'releases', `v${version}`);
/** Installed dependencies, shared by every build with the same dependency digest. */
export const packageCacheDir = (dataDir: string) => join(dataDir, 'cache');
