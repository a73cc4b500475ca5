// billing-bridge demo pay|charge|tariff|block: change the demo billing of the running agent.
import { Argument, Command } from 'commander';
import type { DemoContractState } from '../../shared/admin.js';
import { agentClient, allOptions, runClient, withAdminPort, type ClientOptions } from './agent-client.js';

interface Opts extends ClientOptions {
  json?: boolean;
}

const show = (opts: Opts, result: DemoContractState) =>
  console.log(opts.json ? JSON.stringify(result, null, 2) : result.message);

export function registerDemoCommands(program: Command): void {
  const demo = program.command('demo').description('change the demo billing (only when billing.kind is "demo") to watch callbacks reach core');
  const op = (command: Command) => withAdminPort(command.option('--json', 'print the contract as JSON'));

  op(demo.command('pay').description('a payment: raises the balance')
    .argument('<contract_id>', 'contract ext_id, e.g. 12331231')
    .argument('<rubles>', 'amount in rubles, e.g. 500 or 390.67'))
    .action((contractId: string, rubles: string, _o, cmd: Command) => runClient(async () => {
      const opts = allOptions<Opts>(cmd);
      show(opts, await agentClient(opts).call('demo.pay', { contractId, rubles }));
    }));

  op(demo.command('charge').description('a one-off charge: lowers the balance and appears in the charges')
    .argument('<contract_id>', 'contract ext_id')
    .argument('<rubles>', 'amount in rubles')
    .argument('<description...>', 'what was charged, e.g. "Замена ключа"'))
    .action((contractId: string, rubles: string, description: string[], _o, cmd: Command) => runClient(async () => {
      const opts = allOptions<Opts>(cmd);
      show(opts, await agentClient(opts).call('demo.charge', { contractId, rubles, description: description.join(' ') }));
    }));

  op(demo.command('tariff').description('switch the contract to one tariff')
    .argument('<contract_id>', 'contract ext_id')
    .argument('<tariff_id>', 'tariff id from /api/tariffs, e.g. 52081502'))
    .action((contractId: string, tariffId: string, _o, cmd: Command) => runClient(async () => {
      const opts = allOptions<Opts>(cmd);
      show(opts, await agentClient(opts).call('demo.setTariff', { contractId, tariffId }));
    }));

  op(demo.command('block').description('switch the forced block (services suspended regardless of balance)')
    .argument('<contract_id>', 'contract ext_id')
    .addArgument(new Argument('<state>', 'on or off').choices(['on', 'off'])))
    .action((contractId: string, state: 'on' | 'off', _o, cmd: Command) => runClient(async () => {
      const opts = allOptions<Opts>(cmd);
      show(opts, await agentClient(opts).call('demo.setBlock', { contractId, blocked: state === 'on' }));
    }));
}
