import { ConfigError, loadConfig } from './config';

describe('configuration', () => {
  it('defaults to the embedded mode on port 3000', () => {
    expect(loadConfig({})).toEqual({ port: 3000, logLevel: 'log' });
  });

  it('reads the variables it knows', () => {
    expect(loadConfig({ PORT: '8080', LOG_LEVEL: 'debug' })).toEqual({ port: 8080, logLevel: 'debug' });
  });

  it('reports every bad value at once, each with its name and what it accepts', () => {
    expect(() => loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: '70000', LOG_LEVEL: 'loud' });
    } catch (error) {
      expect((error as ConfigError).problems).toEqual(['PORT="70000" must be an integer from 0 to 65535', 'LOG_LEVEL="loud" must be one of error, warn, log, debug']);
    }
  });
});
