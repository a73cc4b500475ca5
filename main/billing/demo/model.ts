// The demo billing's own records. They are deliberately close to the contract, but phones stay
// as people typed them and charges are derived, so the adapter still has real mapping to do.
import type { ContractState, ContractTariff, Option, Service, Tariff } from '../../../shared/data-provider.js';

export interface DemoUser {
  id: string;
  login: string;
  password: string;
  fullName: string;
  /** Free text as an operator typed it: several numbers, any format, or nothing. */
  phones: string;
  blocked: boolean;
}

export interface DemoContract {
  id: string;
  userId: string;
  account: string;
  state: ContractState;
  balance: number;
  address: string;
  buildingCode?: string;
  region?: number;
  buildingNum?: string;
  flat?: string;
  forcedBlock: boolean;
  options: Option[];
  tariffs: ContractTariff[];
  /** Months of monthly charges before the current month; 0 for a contract connected this month. */
  months: number;
  /** A terminated contract stopped being charged this many months ago. */
  endedMonthsAgo?: number;
}

/** A charge made while the agent runs (a tariff change, a one-off service). */
export interface DemoExtraCharge {
  contractId: string;
  at: Date;
  cost: number;
  description: string;
}

export interface DemoCatalogue {
  services: Service[];
  tariffs: Tariff[];
}
