// One tray app per user: a second launch hands over to the first (which shows its window) and quits.
import { app } from 'electron';

/** false when another instance runs: this one is quitting and must not set anything else up. */
export function setupSingleInstance(onSecondLaunch: (argv: string[]) => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', (_event, argv) => onSecondLaunch(argv));
  return true;
}
