/**
 * Errors raised without a hint get the registry's (issue 10: hints from one registry), in a page
 * that loaded only what the raising module loads: no other registry area is here to help.
 */
import { expect } from '@open-wc/testing';
import { EmbedKitError } from '../../../src/auth/errors.ts';
import { toEngineRequestError } from '../../../src/qlik/errors.ts';

describe('hints from the registry where errors are made', () => {
  it('a failed engine call gets the registry hint for engine_request_failed', () => {
    const error = toEngineRequestError({ code: 42, message: 'Engine said no' }, 'Loading object x');
    expect(error.code).to.equal('engine_request_failed');
    expect(error.hint).to.include('engineCode');
  });

  it('a code whose area this page has not loaded stays without one, and a given hint wins', () => {
    // The server area is not loaded by these modules: nothing is guessed for its codes.
    expect(new EmbedKitError('rate_limited', 'm').hint).to.equal('');
    expect(new EmbedKitError('engine_request_failed', 'm', { hint: 'Given.' }).hint).to.equal('Given.');
  });
});
