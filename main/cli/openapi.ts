// billing-bridge openapi: the OpenAPI 3.1 document of the Data Provider API, made on the spot
// (no running agent needed); the admin port serves the same at /openapi.json.
import type { Command } from 'commander';
import writeFileAtomic from 'write-file-atomic';
import { openApiJson } from '../openapi/index.js';

export function registerOpenApiCommand(program: Command): void {
  program
    .command('openapi')
    .description('print the OpenAPI 3.1 document of the Data Provider API (examples from the demo billing)')
    .option('-o, --output <file>', 'write it to this file instead (docs/openapi.json in the repository is such a copy)')
    .action(async (opts: { output?: string }) => {
      const text = await openApiJson();
      if (opts.output) writeFileAtomic.sync(opts.output, text);
      else process.stdout.write(text);
    });
}
