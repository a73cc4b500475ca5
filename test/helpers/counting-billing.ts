// The demo billing, counting the password checks it is asked for.
import { DemoBilling } from '../../main/billing/demo/index.js';

export class CountingBilling extends DemoBilling {
  checks = 0;
  override async authenticate(login: string, password: string) {
    this.checks++;
    return super.authenticate(login, password);
  }
}
