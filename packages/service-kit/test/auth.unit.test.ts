import { SignJWT, exportSPKI, generateKeyPair } from 'jose';
import request from 'supertest';
import {
  LOCAL_DEV_JWT_SECRET,
  assertScope,
  authorize,
  createApp,
  createTokenVerifier,
  inScope,
  mintToken,
  principalOf,
  type Principal,
} from '../src';
import { testLogger } from './helpers';

const verifier = createTokenVerifier({ secret: LOCAL_DEV_JWT_SECRET });

function app() {
  return createApp({
    logger: testLogger().logger,
    verifier,
    routes: (router) => {
      router.get('/me', (req, res) => {
        res.json(principalOf(req));
      });
      router.get(
        '/stations/:stationId/intakes',
        authorize('station-operator', 'administrator'),
        (req, res) => {
          assertScope(principalOf(req), String(req.params.stationId));
          res.json({ ok: true });
        },
      );
    },
  });
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('authenticate', () => {
  it('accepts a valid token and exposes the principal', async () => {
    const token = await mintToken({ sub: 'r-1001', role: 'resident', scope: 'r-1001', name: '张三' });
    const res = await request(app()).get('/me').set(bearer(token)).expect(200);
    expect(res.body).toMatchObject({ sub: 'r-1001', role: 'resident', scope: 'r-1001', name: '张三' });
  });

  it('answers 401 problem+json with WWW-Authenticate when the token is missing', async () => {
    const res = await request(app()).get('/me').expect(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="recycling"');
    expect(res.body).toMatchObject({
      status: 401,
      title: 'Unauthorized',
      title_zh: '未登录或登录已失效',
      instance: '/me',
    });
  });

  it('answers 401 for an expired token', async () => {
    const token = await mintToken({ sub: 'r-1', role: 'resident', scope: 'r-1', ttl: -60 });
    const res = await request(app()).get('/me').set(bearer(token)).expect(401);
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(res.body.detail).toBe('The token has expired.');
  });

  it('answers 401 for a bad signature', async () => {
    const token = await mintToken({
      sub: 'r-1',
      role: 'resident',
      scope: 'r-1',
      secret: 'another-secret-of-some-length',
    });
    const res = await request(app()).get('/me').set(bearer(token)).expect(401);
    expect(res.body.detail).toBe('The token signature is invalid.');
  });

  it('answers 401 for a malformed header, an unsigned token, or unknown claims', async () => {
    await request(app()).get('/me').set({ Authorization: 'Basic abc' }).expect(401);
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x","role":"administrator"}').toString('base64url')}.`;
    await request(app()).get('/me').set(bearer(unsigned)).expect(401);
    const badRole = await new SignJWT({ role: 'mayor' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('m-1')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(LOCAL_DEV_JWT_SECRET));
    const res = await request(app()).get('/me').set(bearer(badRole)).expect(401);
    expect(res.body.detail).toContain('role');
    const noScope = await mintToken({ sub: 'op-1', role: 'station-operator' });
    expect((await request(app()).get('/me').set(bearer(noScope)).expect(401)).body.detail).toContain('scope');
    const noExp = await new SignJWT({ role: 'administrator' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('a-1')
      .sign(new TextEncoder().encode(LOCAL_DEV_JWT_SECRET));
    await request(app()).get('/me').set(bearer(noExp)).expect(401);
  });

  it('leaves health routes open', async () => {
    await request(app()).get('/healthz').expect(200);
  });
});

describe('authorize and scope', () => {
  it('answers 403 for a role that may not act', async () => {
    const token = await mintToken({ sub: 'r-1', role: 'resident', scope: 'r-1' });
    const res = await request(app()).get('/stations/st-01/intakes').set(bearer(token)).expect(403);
    expect(res.body).toMatchObject({
      status: 403,
      title: 'Forbidden',
      detail: expect.stringContaining('station-operator'),
    });
  });

  it('answers 403 outside the operator site and 200 inside it', async () => {
    const token = await mintToken({ sub: 'op-7', role: 'station-operator', scope: 'st-01' });
    await request(app()).get('/stations/st-01/intakes').set(bearer(token)).expect(200);
    const res = await request(app()).get('/stations/st-02/intakes').set(bearer(token)).expect(403);
    expect(res.body.title_zh).toBe('无权访问该数据');
  });

  it('lets city-wide roles through any scope', async () => {
    const token = await mintToken({ sub: 'admin-1', role: 'administrator' });
    await request(app()).get('/stations/st-02/intakes').set(bearer(token)).expect(200);
  });

  it('inScope', () => {
    const p = (role: Principal['role'], scope?: string): Principal => ({
      sub: 's',
      role,
      scope,
      expiresAt: new Date(),
    });
    expect(inScope(p('resident', 'r-1'), 'r-1')).toBe(true);
    expect(inScope(p('resident', 'r-1'), 'r-2')).toBe(false);
    expect(inScope(p('tax-officer'), 'ent-9')).toBe(true);
    expect(inScope(p('used-car-market', 'm-1'), 'm-2')).toBe(false);
  });
});

describe('issuer and audience', () => {
  it('refuses a token for another audience', async () => {
    const strict = createTokenVerifier({
      secret: LOCAL_DEV_JWT_SECRET,
      issuer: 'recycling-idp',
      audience: 'recycling-api',
    });
    const good = await mintToken({
      sub: 'a',
      role: 'administrator',
      issuer: 'recycling-idp',
      audience: 'recycling-api',
    });
    await expect(strict.verify(good)).resolves.toMatchObject({ sub: 'a' });
    const other = await mintToken({
      sub: 'a',
      role: 'administrator',
      issuer: 'recycling-idp',
      audience: 'other',
    });
    await expect(strict.verify(other)).rejects.toMatchObject({ status: 401 });
  });
});

describe('public keys (production)', () => {
  it('verifies RS256 tokens with JWT_PUBLIC_KEY and refuses HS256 ones', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const rs = createTokenVerifier({ publicKey: await exportSPKI(publicKey) });
    const token = await new SignJWT({ role: 'tax-officer' })
      .setProtectedHeader({ alg: 'RS256' })
      .setSubject('tax-1')
      .setExpirationTime('5m')
      .sign(privateKey);
    await expect(rs.verify(token)).resolves.toMatchObject({ sub: 'tax-1', role: 'tax-officer' });
    const hs = await mintToken({ sub: 'a', role: 'administrator' });
    await expect(rs.verify(hs)).rejects.toMatchObject({ status: 401 });
  });
});
