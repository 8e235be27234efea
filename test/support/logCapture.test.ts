import { describe, expect, it } from 'vitest';
import { findLeakedSecret } from '../support/secrets';

describe('the log capture that guards every test file', () => {
  it('finds a secret printed whole', () => {
    expect(findLeakedSecret('token=abcdefghijklmnop1234 done', ['abcdefghijklmnop1234'])).toBe('abcdefghijklmnop1234');
  });

  it('finds a secret printed URL-encoded', () => {
    expect(findLeakedSecret('q=a%2Fb%2Bcdefghijklmnop', ['a/b+cdefghijklmnop'])).toBe('a/b+cdefghijklmnop');
  });

  it('passes output without secrets', () => {
    expect(findLeakedSecret('sign-in failed: ERR_ID_TOKEN_EXPIRED', ['abcdefghijklmnop1234'])).toBeUndefined();
  });
});
