import { expect } from '@open-wc/testing';

describe('browser', () => {
  it('has WebCrypto', async () => {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode('x'));
    expect(digest.byteLength).to.equal(32);
  });
});
