import { describe, expect, it } from 'vitest';
import { DemoError } from '../src/errors.js';
import { parseSettings } from '../src/settings.js';

describe('parseSettings', () => {
  it('defaults to 300 orders, seed 42, the collector on 127.0.0.1:4319, waiting for Ctrl-C', () => {
    expect(parseSettings([], {})).toEqual({ endpoint: 'http://127.0.0.1:4319', apiKey: undefined, orders: 300, seed: 42, exit: false, help: false });
  });

  it('reads flags and FAULTLINE_ENDPOINT / FAULTLINE_API_KEY', () => {
    expect(parseSettings(['--orders', '50', '--seed', '7', '--exit'], { FAULTLINE_ENDPOINT: 'http://10.0.0.1:9000/', FAULTLINE_API_KEY: 'k' })).toEqual({
      endpoint: 'http://10.0.0.1:9000',
      apiKey: 'k',
      orders: 50,
      seed: 7,
      exit: true,
      help: false,
    });
  });

  it.each([
    [['--orders', '0'], 'Expected --orders to be an integer from 1 to 10000, got "0"'],
    [['--orders', '2.5'], 'Expected --orders to be an integer from 1 to 10000, got "2.5"'],
    [['--seed=-1'], 'Expected --seed to be an integer from 0 to 4294967295, got "-1"'],
    [['--seed', '4294967296'], 'Expected --seed to be an integer from 0 to 4294967295, got "4294967296"'],
    [['--speed', '2'], "Unknown option '--speed'"],
  ])('%j fails with the setting and its limits', (argv, message) => {
    expect(() => parseSettings(argv, {})).toThrow(DemoError);
    expect(() => parseSettings(argv, {})).toThrow(message);
  });

  it.each(['not a url', 'ftp://host:21'])('FAULTLINE_ENDPOINT=%s fails naming the variable', (endpoint) => {
    expect(() => parseSettings([], { FAULTLINE_ENDPOINT: endpoint })).toThrow(/^Expected FAULTLINE_ENDPOINT to be an http\(s\) URL/);
  });
});
