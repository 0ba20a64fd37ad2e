import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BindingSpec } from './types';

/** servicebinding.io names: a binding or key is one path segment of safe characters. */
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;

/**
 * Writes bindings as servicebinding.io files: `<root>/<name>/{type,provider,<key>…}`, each
 * file holding the bare value. Directories are 0700 and files 0600: only the app's user
 * reads them.
 */
export async function writeBindings(
  root: string,
  bindings: Record<string, BindingSpec>,
): Promise<void> {
  await mkdir(root, { recursive: true, mode: 0o700 });
  for (const [name, binding] of Object.entries(bindings)) {
    if (!SEGMENT.test(name)) throw new Error(`invalid binding name ${JSON.stringify(name)}`);
    const dir = join(root, name);
    await mkdir(dir, { mode: 0o700 });
    const files: Record<string, string> = {
      ...binding.credentials,
      type: binding.type,
      provider: binding.provider,
    };
    for (const [key, value] of Object.entries(files)) {
      if (!SEGMENT.test(key)) throw new Error(`invalid credential key ${JSON.stringify(key)}`);
      await writeFile(join(dir, key), value, { mode: 0o600, flag: 'wx' });
    }
  }
}

export async function removeBindings(root: string): Promise<void> {
  await rm(root, { recursive: true, force: true });
}
