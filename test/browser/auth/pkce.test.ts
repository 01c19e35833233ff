import { expect } from '@open-wc/testing';
import { base64url, computeCodeChallenge, createCodeVerifier, createState, UNRESERVED } from '../../../src/auth/pkce.ts';

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('pkce', () => {
  it('computes the RFC 7636 Appendix B challenge', async () => {
    expect(await computeCodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).to.equal(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('encodes the RFC 4648 §10 vectors as unpadded base64url', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'Zg'],
      ['fo', 'Zm8'],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg'],
      ['fooba', 'Zm9vYmE'],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [input, output] of vectors) expect(base64url(ascii(input)), input).to.equal(output);
  });

  it('uses the URL-safe alphabet (- and _ instead of + and /)', () => {
    expect(base64url(new Uint8Array([0xfb, 0xff]))).to.equal('-_8');
    expect(base64url(new Uint8Array([0xfb, 0xff]).buffer)).to.equal('-_8');
  });

  it('creates 64-character verifiers from the unreserved set by default, without padding', () => {
    const verifier = createCodeVerifier();
    expect(verifier).to.have.length(64);
    expect(verifier).to.match(/^[A-Za-z0-9\-._~]+$/);
    expect(verifier).not.to.include('=');
  });

  it('honours lengths 43 to 128 and refuses others with a TypeError', () => {
    expect(createCodeVerifier(43)).to.have.length(43);
    expect(createCodeVerifier(128)).to.have.length(128);
    for (const bad of [42, 129, 0, -1, 64.5, Number.NaN]) {
      expect(() => createCodeVerifier(bad), String(bad)).to.throw(TypeError);
    }
  });

  it('gives fresh verifiers every time', () => {
    const seen = new Set(Array.from({ length: 200 }, () => createCodeVerifier(43)));
    expect(seen.size).to.equal(200);
  });

  it('draws every unreserved character about equally often (no modulo bias)', () => {
    const counts = new Map<string, number>();
    const draws = 2000;
    for (let i = 0; i < draws; i += 1) {
      for (const char of createCodeVerifier(128)) counts.set(char, (counts.get(char) ?? 0) + 1);
    }
    expect(UNRESERVED).to.have.length(66);
    expect([...counts.keys()].sort().join('')).to.equal([...UNRESERVED].sort().join(''));
    // 256 000 draws: each character expects ~3879 (σ ≈ 62). `byte % 66` would put the last 8
    // characters ~23% below the mean, `byte % 64` would never produce two of them at all.
    const expected = (draws * 128) / 66;
    for (const [char, count] of counts) {
      expect(Math.abs(count - expected) / expected, `character ${char}: ${count}`).to.be.below(0.1);
    }
  });

  it('refuses a malformed verifier when computing a challenge', async () => {
    for (const bad of ['short', 'a'.repeat(129), `${'a'.repeat(43)} `, `${'a'.repeat(42)}=`]) {
      let thrown: unknown;
      try {
        await computeCodeChallenge(bad);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, bad).to.be.instanceOf(TypeError);
    }
  });

  it('creates 256-bit states as 43 base64url characters', () => {
    const states = Array.from({ length: 100 }, () => createState());
    for (const state of states) expect(state).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(states).size).to.equal(100);
  });
});
