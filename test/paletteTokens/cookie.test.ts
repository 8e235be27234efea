import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { PALETTE_TOKEN_COOKIE_NAME, clearPaletteTokenCookie, paletteTokenCookieOptions } from '../../src/paletteTokens/capture/paletteTokenCookie';

describe('paletteTokenCookieOptions', () => {
  it('makes the cookie HTTP-only, SameSite=Lax and scoped to the plugin API path by default', () => {
    expect(paletteTokenCookieOptions({ secure: true, maxAgeMs: 60_000 })).toEqual({
      httpOnly: true,
      sameSite: 'lax',
      secure: true,
      path: '/api/spectrocloud',
      maxAge: 60_000,
    });
  });

  it('is not Secure when the backend is served over plain http', () => {
    expect(paletteTokenCookieOptions({ secure: false }).secure).toBe(false);
  });

  it('produces a Set-Cookie header with those attributes, and clears it with the same path', async () => {
    const app = express();
    app.get('/set', (_req, res) => {
      res.cookie(PALETTE_TOKEN_COOKIE_NAME, 'opaque', paletteTokenCookieOptions({ secure: true, path: '/api/spectrocloud', maxAgeMs: 60_000 }));
      res.end();
    });
    app.get('/clear', (_req, res) => {
      clearPaletteTokenCookie(res, { secure: true });
      res.end();
    });
    const set = (await request(app).get('/set')).headers['set-cookie']![0]!;
    expect(set).toMatch(/^spectrocloud-api-token=opaque; Max-Age=60; Path=\/api\/spectrocloud; Expires=.*; HttpOnly; Secure; SameSite=Lax$/);
    const cleared = (await request(app).get('/clear')).headers['set-cookie']![0]!;
    expect(cleared).toMatch(/^spectrocloud-api-token=; Path=\/api\/spectrocloud; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax$/);
  });
});
