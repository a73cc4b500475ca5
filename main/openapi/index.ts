// The OpenAPI document as text, made once per process: the admin port serves it, the CLI prints
// it, and docs/openapi.json is a copy that a test compares with a fresh one.
import { VERSION } from '../version.js';
import { buildDocument } from './document.js';
import { collectExamples } from './examples.js';

let made: Promise<string> | null = null;

/** Pretty-printed JSON with a final newline, exactly as committed in docs/openapi.json. */
export function openApiJson(): Promise<string> {
  made ??= collectExamples().then((examples) => `${JSON.stringify(buildDocument(examples, VERSION), null, 2)}\n`);
  // A failed attempt is not kept: the next caller tries again.
  made.catch(() => {
    made = null;
  });
  return made;
}
