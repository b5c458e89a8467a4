import { describe, expect, it } from 'vitest';
import { describeStartupError } from '../../src/config/startup-error.js';

function systemError(message: string, fields: Record<string, string>): Error {
  return Object.assign(new Error(message), fields);
}

const sqlite = { host: '127.0.0.1', port: 4319, databaseUrl: undefined, sqlitePath: '/data/f.db' };
const postgres = { ...sqlite, databaseUrl: 'postgres://u:secret@db/f' };

describe('describeStartupError', () => {
  it.each([
    ['port in use', systemError('listen EADDRINUSE', { code: 'EADDRINUSE', syscall: 'listen' }), sqlite, '--port 4319 on 127.0.0.1: address already in use'],
    ['privileged port', systemError('listen EACCES', { code: 'EACCES', syscall: 'listen' }), { ...sqlite, port: 80 }, '--port 80 on 127.0.0.1: permission denied (ports below 1024 need privileges)'],
    ['foreign address', systemError('listen EADDRNOTAVAIL', { code: 'EADDRNOTAVAIL', syscall: 'listen' }), { ...sqlite, host: '10.9.9.9' }, '--host 10.9.9.9: address not available on this machine'],
    ['unknown host', systemError('getaddrinfo ENOTFOUND x.invalid', { code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname: 'x.invalid' }), { ...sqlite, host: 'x.invalid' }, '--host x.invalid: host not found'],
    ['bracketed IPv6 host', systemError('listen EADDRINUSE', { code: 'EADDRINUSE', syscall: 'listen' }), { ...sqlite, host: '[::1]' }, '--port 4319 on [::1]: address already in use'],
    ['SQLite directory not writable', systemError("EACCES: permission denied, mkdir '/data'", { code: 'EACCES', syscall: 'mkdir' }), sqlite, '--sqlite-path /data/f.db: permission denied'],
    ['database host unknown', systemError('getaddrinfo ENOTFOUND db', { code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname: 'db' }), postgres, '--database-url: cannot open the PostgreSQL database: getaddrinfo ENOTFOUND db'],
    ['database refusing the password', systemError('password authentication failed for user "u"', { code: '28P01' }), postgres, '--database-url: cannot open the PostgreSQL database: password authentication failed for user "u"'],
  ])('names the flag for %s', (_name, error, settings, message) => {
    expect(describeStartupError(error, settings)).toBe(message);
  });

  it.each([
    ['a bug', new TypeError('x is not a function')],
    ['a Node argument error', systemError('bad argument', { code: 'ERR_INVALID_ARG_TYPE' })],
  ])('leaves %s undescribed, for its stack to be printed', (_name, error) => {
    expect(describeStartupError(error, postgres)).toBeUndefined();
    expect(describeStartupError(error, sqlite)).toBeUndefined();
  });
});
