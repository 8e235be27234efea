import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import cookieParser from 'cookie-parser';
import express from 'express';
import passport from 'passport';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SpectroCloudStrategy,
  type SpectroCloudAuthorizeOptions,
  type SpectroCloudCallbackOptions,
  type SpectroCloudTokenSet,
} from '../../src';
import { startSpectroCloudEmulator, type SpectroCloudEmulator } from '../../src/testing';
import { CookieJar } from '../support/spectroFixture';
import { registerSecret } from '../support/secrets';

/*
 * SpectroCloudStrategy wired by hand, the way a plain passport app would:
 * passport.use() + passport.authenticate('spectrocloud'), with the app keeping
 * state, nonce and the PKCE verifier in its own (here: cookie) session.
 */
const CLIENT_ID = 'passport-app';
const CLIENT_SECRET = 'passport-app-secret-4e1b7d';
registerSecret(CLIENT_SECRET);

let emulator: SpectroCloudEmulator;
let server: Server;
let appUrl: string;
const signedIn: SpectroCloudTokenSet[] = [];

function base64url(bytes: Buffer) {
  return bytes.toString('base64url');
}

beforeAll(async () => {
  const app = express();
  server = app.listen(0, '127.0.0.1');
  await new Promise(resolve => server.once('listening', resolve));
  appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  emulator = await startSpectroCloudEmulator({
    clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [`${appUrl}/auth/callback`] }],
    users: [{ email: 'alice@example.com', given_name: 'Alice' }],
    requirePkce: true,
    autoApprove: true,
  });

  const authenticator = new passport.Passport();
  authenticator.use(
    new SpectroCloudStrategy({
      clientID: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      authorizationURL: emulator.authorizationUrl,
      tokenURL: emulator.tokenUrl,
      callbackURL: `${appUrl}/auth/callback`,
      scope: 'openid profile email',
      expectedNonce: req => req.cookies.nonce,
    }),
  );
  app.use(cookieParser());
  app.use(authenticator.initialize());
  app.get('/login', (req, res, next) => {
    const nonce = base64url(randomBytes(16));
    const verifier = base64url(randomBytes(32));
    const state = base64url(randomBytes(16));
    registerSecret(nonce);
    registerSecret(verifier);
    const cookie = { httpOnly: true, sameSite: 'lax' as const, path: '/auth' };
    res.cookie('nonce', typeof req.query.nonce === 'string' ? req.query.nonce : nonce, cookie);
    res.cookie('pkce', verifier, cookie);
    res.cookie('state', state, cookie);
    const codeChallenge = base64url(createHash('sha256').update(verifier).digest());
    const start: SpectroCloudAuthorizeOptions = { state, nonce, codeChallenge };
    authenticator.authenticate('spectrocloud', { session: false, ...start } as passport.AuthenticateOptions)(req, res, next);
  });
  app.get('/auth/callback', (req, res, next) => {
    if (!req.query.state || req.query.state !== req.cookies.state) {
      res.status(403).send('state mismatch');
      return;
    }
    const exchange: SpectroCloudCallbackOptions = { codeVerifier: req.cookies.pkce };
    authenticator.authenticate('spectrocloud', { session: false, ...exchange } as passport.AuthenticateOptions, (error: Error | null, user?: SpectroCloudTokenSet) => {
      if (error) {
        res.status(401).json({ code: (error as { code?: string }).code, message: error.message });
        return;
      }
      if (!user) return next(new Error('no user'));
      registerSecret(user.idToken);
      registerSecret(user.accessToken);
      registerSecret(user.refreshToken);
      signedIn.push(user);
      res.json({ sub: user.claims.sub, email: user.claims.email });
    })(req, res, next);
  });
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise(resolve => server?.close(resolve));
  await emulator?.close();
});

/** /login -> the emulator (auto-approves the hinted user) -> /auth/callback, as one browser; `tamper` edits its cookies first. */
async function signIn(jar: CookieJar, options: { loginQuery?: Record<string, string>; tamper?: (jar: CookieJar) => void } = {}) {
  const login = await request(appUrl).get('/login').query(options.loginQuery ?? {});
  expect(login.status).toBe(302);
  jar.update(login.headers['set-cookie']);
  options.tamper?.(jar);
  const authorize = new URL(login.headers.location);
  authorize.searchParams.set('login_hint', 'alice@example.com');
  const approved = await fetch(authorize, { redirect: 'manual' });
  const callback = new URL(approved.headers.get('location')!);
  registerSecret(callback.searchParams.get('code'));
  return { authorize, response: await request(appUrl).get(callback.pathname + callback.search).set('Cookie', jar.header()) };
}

describe('SpectroCloudStrategy through the passport package', () => {
  it('signs in with state, nonce and S256 PKCE, and hands the verify step only a verified ID token', async () => {
    const { authorize, response } = await signIn(new CookieJar());
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    expect(response.status).toBe(200);
    expect(response.body.email).toBe('alice@example.com');
    const tokens = signedIn.at(-1)!;
    expect(tokens.claims.nonce).toBe(authorize.searchParams.get('nonce'));
    expect(tokens.claims.aud).toBe(CLIENT_ID);
  });

  it('refuses an ID token whose nonce is not the one this browser was given', async () => {
    const { response } = await signIn(new CookieJar(), { loginQuery: { nonce: 'another-browsers-nonce' } });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ code: 'ERR_ID_TOKEN_CLAIM', message: expect.stringContaining('"nonce" claim') });
  });

  it('fails the code exchange when the PKCE verifier does not match the challenge', async () => {
    const { response } = await signIn(new CookieJar(), { tamper: jar => jar.values.set('pkce', base64url(randomBytes(32))) });
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('ERR_TOKEN_REJECTED');
    expect(response.body.message).toContain('invalid_grant');
  });
});
