// Minting HS256 tokens for local runs and tests (production tokens come from an identity provider).
// Depends on jose only, so `pnpm token` starts quickly.
import { SignJWT } from 'jose';
import { LOCAL_DEV_JWT_SECRET, type Role } from './roles';

export interface MintOptions {
  sub: string;
  role: Role;
  scope?: string;
  name?: string;
  /** Lifetime as jose understands it: '8h', '30m', '2d', or seconds. Default '8h'. */
  ttl?: string | number;
  /** HS256 secret; default LOCAL_DEV_JWT_SECRET. */
  secret?: string;
  issuer?: string;
  audience?: string;
}

/** Signs an HS256 token with the claims authenticate() expects. */
export async function mintToken(options: MintOptions): Promise<string> {
  const claims = {
    role: options.role,
    ...(options.scope ? { scope: options.scope } : {}),
    ...(options.name ? { name: options.name } : {}),
  };
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.sub)
    .setIssuedAt()
    .setExpirationTime(
      typeof options.ttl === 'number' ? Math.floor(Date.now() / 1000) + options.ttl : (options.ttl ?? '8h'),
    );
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(options.secret ?? LOCAL_DEV_JWT_SECRET));
}
