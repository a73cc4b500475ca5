// The state database, opened (and migrated) once, closed last but for the billing.
import { openState, type State } from '../state/index.js';
import type { Lifecycle } from './lifecycle.js';

export function setupState(file: string, life: Lifecycle): State {
  let state: State;
  try {
    state = openState(file);
  } catch (err) {
    throw new Error(`the state database ${file} cannot be opened: ${(err as Error).message}`, { cause: err });
  }
  life.add('state database', () => state.close());
  return state;
}
