import { describe, expect, it } from 'vitest';
import { requestHeaders } from '../../../src/load/request-headers.ts';

describe('requestHeaders', () => {
  it('sends the key as a bearer token beside the extra headers, names lower-cased', () => {
    expect(requestHeaders({ api_key: 'k', headers: { 'X-Tenant': 'a' } })).toEqual({
      authorization: 'Bearer k',
      'x-tenant': 'a',
    });
  });

  it('an explicit Authorization header wins over the key; nothing set, nothing sent', () => {
    expect(requestHeaders({ api_key: 'k', headers: { Authorization: 'Basic abc' } })).toEqual({
      authorization: 'Basic abc',
    });
    expect(requestHeaders({ headers: {} })).toEqual({});
  });
});
