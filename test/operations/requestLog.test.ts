import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceBuilder, requestLoggingHandler } from '@backstage/backend-common';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { redactCallbackQuery } from '../../src';
import { signIn, startFixture, type Fixture } from '../support/spectroFixture';

/*
 * A legacy backend's request log: backend-common's requestLoggingHandler (morgan, what createServiceBuilder puts
 * in front of every route) writes each URL whole, so the callback's authorization code and state land in it.
 * With the README's one line (redactCallbackQuery around it) they do not. The package's own lines never hold the
 * code either way.
 */

/**
 * The control backend's logger: keeps its lines in memory for the assertions and never prints them, because
 * without the redaction Backstage's request logger writes the code (the leak this file proves the line against).
 */
function unprintedLogger(lines: string[], fields: Record<string, unknown> = {}): LoggerService {
  const write = (level: string) => (message: string, meta?: unknown) => {
    lines.push(JSON.stringify({ level, message, ...fields, ...(meta instanceof Error ? { error: meta.message } : (meta as object)) }));
  };
  return { error: write('error'), warn: write('warn'), info: write('info'), debug: write('debug'), child: meta => unprintedLogger(lines, { ...fields, ...meta }) };
}

async function signInAndReadCode(fixture: Fixture): Promise<string> {
  const { frame, callbackUrl } = await signIn(fixture, 'alice@example.com');
  expect(frame.message.error).toBeUndefined();
  const code = new URL(callbackUrl).searchParams.get('code');
  expect(code).toBeTruthy();
  return code!;
}

const requestLines = (lines: string[]) => lines.filter(line => line.includes('"type":"incomingRequest"'));

describe("a legacy backend's request log (backend-common's requestLoggingHandler)", () => {
  describe('without the redaction (the control)', () => {
    const lines: string[] = [];
    let fixture: Fixture;
    beforeAll(async () => {
      fixture = await startFixture({ logger: unprintedLogger(lines), requestLog: logger => requestLoggingHandler(logger) });
    });
    afterAll(() => fixture?.close());

    it("writes the callback's code into the request log, and only there", async () => {
      const code = await signInAndReadCode(fixture);
      const withCode = lines.filter(line => line.includes(code));
      expect(withCode.length).toBeGreaterThan(0);
      expect(withCode.every(line => line.includes('"type":"incomingRequest"') && line.includes('/handler/frame?'))).toBe(true);
      expect(lines.filter(line => !line.includes('"type":"incomingRequest"')).some(line => /code=/.test(line))).toBe(false);
    });
  });

  describe("with the README's line: redactCallbackQuery(requestLoggingHandler(logger))", () => {
    let fixture: Fixture;
    beforeAll(async () => {
      // The test logger: every line it takes is inspected by the secret guard of this file.
      fixture = await startFixture({ requestLog: logger => redactCallbackQuery(requestLoggingHandler(logger)) });
    });
    afterAll(() => fixture?.close());

    it('logs the callback as /handler/frame?[redacted]: no code, no state, in any line', async () => {
      const code = await signInAndReadCode(fixture);
      const lines = fixture.backend.logLines;
      const callback = requestLines(lines).filter(line => line.includes('/api/auth/spectrocloud/handler/frame'));
      expect(callback).toHaveLength(1);
      expect(JSON.parse(callback[0]!).message).toContain('"GET /api/auth/spectrocloud/handler/frame?[redacted] HTTP/1.1" 200');
      expect(lines.filter(line => line.includes(code))).toEqual([]);
      expect(lines.filter(line => /[?&](code|state)=/.test(line))).toEqual([]);
      // the other requests keep their URLs: /start with its env
      expect(requestLines(lines).some(line => line.includes('/api/auth/spectrocloud/start?env=development'))).toBe(true);
    });
  });

  it("is the one line a legacy backend's service builder takes (type-checked with backend-common's own types)", () => {
    const builder = createServiceBuilder(module).setRequestLoggingHandler(logger => redactCallbackQuery(requestLoggingHandler(logger)));
    expect(typeof builder.start).toBe('function');
  });
});
