// Generates the OpenAPI document of the Data Provider API: schemas from the zod contract, examples
// that are real answers of the API over the demo billing. `npm run openapi` writes it to
// docs/openapi.json, which the agent ships and serves as it is; a test fails when that copy
// differs from a fresh generation, so the served document cannot drift from the code.
import writeFileAtomic from 'write-file-atomic';
import { VERSION } from '../../main/version.js';
import { buildDocument } from './document.js';
import { collectExamples } from './examples.js';

/** Pretty-printed JSON with a final newline, exactly as committed in docs/openapi.json. */
export async function generateOpenApiJson(): Promise<string> {
  return `${JSON.stringify(buildDocument(await collectExamples(), VERSION), null, 2)}\n`;
}

// Run directly (`npm run openapi`): rewrite the file named on the command line.
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: node --import tsx tools/openapi/index.ts <output file>');
    process.exit(2);
  }
  writeFileAtomic.sync(out, await generateOpenApiJson());
}
