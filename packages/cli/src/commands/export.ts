/**
 * `zw export score|kubernetes [dir] [--out]`: the app's `zhengwu.yaml` as Score workloads or
 * Kubernetes objects, so it can leave the platform intact. Works offline: no login needed.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadManifest } from '../deploy/manifest';
import type { Handler } from '../program';

interface Named {
  kind?: string;
  metadata?: { name?: string };
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

export const exportManifest: Handler = async (
  ctx,
  [format, dir]: ['score' | 'kubernetes' | 'k8s', string],
  opts: { out?: string; image?: string; namespace: string; host?: string },
) => {
  const cwd = ctx.io.cwd ?? process.cwd();
  const { manifest } = await loadManifest(resolve(cwd, dir));
  const m = await import('@zhengwu/manifest');
  let docs: Named[];
  if (format === 'score') {
    docs = m.toScore(manifest, opts.image ? { image: opts.image } : {});
  } else {
    const image = opts.image ?? `${manifest.metadata.name}:latest`;
    if (!opts.image) {
      ctx.note(
        `镜像默认为 ${image}，请先构建并推送，或用 --image 指定 · the image defaults to ${image}: build and push it first, or pass --image`,
      );
    }
    docs = m.toKubernetes(manifest, {
      image,
      namespace: opts.namespace,
      ...(opts.host && { host: opts.host }),
    });
  }
  if (!opts.out) {
    ctx.result(docs, () => ctx.io.stdout.write(m.toYaml(docs)));
    return;
  }
  const out = resolve(cwd, opts.out);
  const written: string[] = [];
  if (opts.out.endsWith('/') || (await isDirectory(out))) {
    // A folder: one file per document, named after it (score-compose takes several files).
    await mkdir(out, { recursive: true });
    for (const doc of docs) {
      const kind = format === 'score' ? 'score' : (doc.kind ?? 'object').toLowerCase();
      const path = join(out, `${doc.metadata?.name ?? 'document'}.${kind}.yaml`);
      await writeFile(path, m.toYaml([doc]));
      written.push(path);
    }
  } else {
    await writeFile(out, m.toYaml(docs));
    written.push(out);
  }
  ctx.result({ format, documents: docs.length, files: written }, () =>
    ctx.out(
      `已导出 ${docs.length} 个文档 · Exported ${docs.length} documents to ${written.join(', ')}`,
    ),
  );
};
