// billing-bridge openapi: the OpenAPI 3.1 document of the Data Provider API (no running agent
// needed); the admin port serves the same at /openapi.json.
import type { Command } from 'commander';
import writeFileAtomic from 'write-file-atomic';
import { openApiJson } from '../openapi.js';

export function registerOpenApiCommand(program: Command): void {
  program
    .command('openapi')
    .description('print the OpenAPI 3.1 document of the Data Provider API (examples from the demo billing)')
    .option('-o, --output <file>', 'write it to this file instead')
    .action(async (opts: { output?: string }) => {
      const text = openApiJson();
      if (opts.output) writeFileAtomic.sync(opts.output, text);
      else process.stdout.write(text);
    });
}
