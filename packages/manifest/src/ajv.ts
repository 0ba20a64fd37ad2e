/** Ajv set up the same way wherever the package validates (draft 2020-12, formats, every error). */
import { Ajv2020, type Options } from 'ajv/dist/2020.js';
import addFormatsImport from 'ajv-formats';

type Plugin = (ajv: Ajv2020) => Ajv2020;
// ajv-formats is CommonJS: depending on the loader its plugin is the module or its `default`.
const addFormats = ((addFormatsImport as unknown as { default?: Plugin }).default ??
  addFormatsImport) as unknown as Plugin;

/** A validator instance with every error kept and the `verbose` details messages need. */
export function createAjv(options: Options = {}): Ajv2020 {
  return addFormats(new Ajv2020({ allErrors: true, verbose: true, ...options }));
}
