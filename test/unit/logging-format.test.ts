import { afterEach, describe, expect, it } from 'vitest';
import { logFormat, setLogFormat, useColor } from '../../main/logging/logger.js';
import { syslogPriority, withPriority } from '../../main/logging/journal.js';

describe('log format and colour', () => {
  afterEach(() => setLogFormat(undefined));

  it('colour only on a terminal and never with NO_COLOR', () => {
    expect(useColor({ isTTY: true }, {})).toBe(true);
    expect(useColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColor({ isTTY: false }, {})).toBe(false);
    expect(useColor({}, {})).toBe(false);
    // no-color.org: an empty NO_COLOR does not count.
    expect(useColor({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
  });

  it('--log-format wins over BILLING_BRIDGE_LOG_FORMAT, which wins over the terminal guess', () => {
    expect(logFormat({ BILLING_BRIDGE_LOG_FORMAT: 'pretty' })).toBe('pretty');
    expect(logFormat({ BILLING_BRIDGE_LOG_FORMAT: 'json' })).toBe('json');
    setLogFormat('json');
    expect(logFormat({ BILLING_BRIDGE_LOG_FORMAT: 'pretty' })).toBe('json');
  });
});

describe('syslog priorities for the journal', () => {
  it('maps pino levels so that journalctl -p err shows error and fatal only', () => {
    expect([60, 50, 40, 30, 20, 10].map(syslogPriority)).toEqual([2, 3, 4, 6, 7, 7]);
    expect(withPriority('{"level":50,"msg":"x"}\n')).toBe('<3>{"level":50,"msg":"x"}\n');
    expect(withPriority('{"level":30,"msg":"x"}\n')).toBe('<6>{"level":30,"msg":"x"}\n');
  });
});
