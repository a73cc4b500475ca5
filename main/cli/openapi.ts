// billing-bridge openapi: the OpenAPI 3.1 document of the Data Provider API (no running agent
// needed); the admin port serves the same at /openapi.json.
import type { Command } from 'commander';
import writeFileAtomic from 'write-file-atomic';
import { openApiJson } from '../openapi.js';
import { reportFatal } from './report.js';

export function registerOpenApiCommand(program: Command): void {
  program
    .command('openapi')
    .description('print the OpenAPI 3.1 document of the Data Provider API (examples from the demo billing)')
    .option('-o, --output <file>', 'write it to this file instead')
    // The document is JSON whatever is asked; --json makes a failure JSON too, as for every command.
    .option('--json', 'report a failure as JSON (the document is JSON anyway)')
    .action((opts: { output?: string }) => {
      try {
        const text = openApiJson();
        if (opts.output) writeFileAtomic.sync(opts.output, text);
        else process.stdout.write(text);
      } catch (err) {
        reportFatal(err);
      }
    });
}
