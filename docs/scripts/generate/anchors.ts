/**
 * VitePress checks that linked pages exist but not their anchors. Generated pages give their
 * sections explicit ids (`## Title {#id}`), so every `page#id` link into one can be checked.
 */
import type { Files } from './files';

const LINK = /\]\((\/[^)#\s]*)#([^)\s]+)\)/g;

/** The generated file a site path is served from, if any. */
function fileOf(files: Files, path: string): string | undefined {
  const base = path.replace(/^\//, '');
  const candidates = path.endsWith('/') ? [`${base}index.md`] : [`${base}.md`, `${base}/index.md`];
  return candidates.find((file) => files.has(file));
}

/** Fails on a link to a missing section of a generated page. */
export function checkAnchors(files: Files): void {
  const broken: string[] = [];
  for (const [from, content] of files) {
    for (const [, path, id] of content.matchAll(LINK)) {
      const target = fileOf(files, path!);
      if (target && !files.get(target)!.includes(`{#${id}}`)) {
        broken.push(`${from}: ${path}#${id}`);
      }
    }
  }
  if (broken.length > 0) throw new Error(`links to missing sections:\n${broken.join('\n')}`);
}
