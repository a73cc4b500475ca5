// billing-bridge lockouts [unlock <login>]: logins locked after wrong passwords, and lifting one.
import type { Command } from 'commander';
import type { SecurityStatus } from '../../shared/admin.js';
import { agentClient, allOptions, runClient, withAdminPort, type ClientOptions } from './agent-client.js';

interface Opts extends ClientOptions {
  json?: boolean;
}

const TEXT = {
  nobody: 'a login no subscriber has',
  details: (l: SecurityStatus['locked'][number]) => `${l.failures} wrong passwords, ${l.blockedAttempts} attempts refused since; `
    + `${l.userId === null ? '' : `user ${l.userId}, `}ref ${l.ref}`,
};

function show(status: SecurityStatus): void {
  console.log(`Password checks in the last minute: ${status.checksLastMinute} of ${status.checksPerMinute} allowed.`);
  console.log(`Attempts refused without asking the billing since start: ${status.blockedAttempts}.`);
  if (status.locked.length === 0) {
    console.log('No login is locked.');
    return;
  }
  console.log('Locked logins:');
  for (const l of status.locked) {
    const name = l.login ?? (l.userId === null ? TEXT.nobody : `user ${l.userId}`);
    console.log(`  ${name}  until ${l.lockedUntil}  (${TEXT.details(l)})`);
  }
}

export function registerSecurityCommands(program: Command): void {
  const lockouts = withAdminPort(program.command('lockouts')
    .description('logins locked after wrong passwords, and refused attempts')
    .option('--json', 'print as JSON'))
    .action((_o, cmd: Command) => runClient(async () => {
      const opts = allOptions<Opts>(cmd);
      const status = await agentClient(opts).call('security.status', {});
      if (opts.json) console.log(JSON.stringify(status, null, 2));
      else show(status);
    }));

  withAdminPort(lockouts.command('unlock')
    .description('lift the lockout of a login (after the subscriber proved who they are)')
    .argument('<login>', 'the login as the subscriber types it, or the ref the list shows')
    .option('--json', 'print the result as JSON'))
    .action((login: string, _o, cmd: Command) => runClient(async () => {
      const opts = allOptions<Opts>(cmd);
      const { unlocked } = await agentClient(opts).call('security.unlock', { login });
      if (opts.json) console.log(JSON.stringify({ login, unlocked }));
      else console.log(unlocked ? `${login} is unlocked.` : `${login} was not locked.`);
    }));
}
