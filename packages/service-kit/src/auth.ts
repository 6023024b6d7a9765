// Bearer JWT authentication and role/scope authorization.
//
// Locally tokens are HS256, signed with one shared secret (LOCAL_DEV_JWT_SECRET unless JWT_SECRET
// says otherwise) and minted by `pnpm token`. In production the services hold no signing key: set
// JWT_JWKS_URL to the identity provider's JWKS endpoint (keys rotate by `kid`), or JWT_PUBLIC_KEY to
// a PEM public key (RS256 by default, JWT_PUBLIC_KEY_ALG=ES256 for EC), and unset JWT_SECRET; set
// JWT_ISSUER and JWT_AUDIENCE so a token for another system is refused. The claims stay the same.
//
// Claims: sub (who), role (one of ROLES), scope (whose data: the resident's own id, the station or
// enterprise id of an operator, the market id; none for the city-wide roles), name (optional,
// display only), exp (required).
import type { RequestHandler, Request } from 'express';

export type { Principal } from '@recycling/contracts';
import { createRemoteJWKSet, errors as joseErrors, importSPKI, jwtVerify, type JWTPayload } from 'jose';
import { z } from 'zod';
import type { Principal } from '@recycling/contracts';
import { ConfigError } from './config';
import { HttpProblem } from './problem';
import { AUTH_REALM, CITY_WIDE_ROLES, LOCAL_DEV_JWT_SECRET, ROLES, type Role } from './roles';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by authenticate(). */
      principal?: Principal;
    }
  }
}

export const ClaimsSchema = z
  .object({
    sub: z.string().min(1),
    role: z.enum(ROLES),
    scope: z.string().min(1).optional(),
    name: z.string().optional(),
    exp: z.number().int(),
  })
  .refine((c) => CITY_WIDE_ROLES.includes(c.role) || c.scope !== undefined, {
    message: 'scope is required for this role',
    path: ['scope'],
  });

export interface TokenVerifier {
  /** The principal of a valid token; throws a 401 HttpProblem otherwise. */
  verify(token: string): Promise<Principal>;
}

export interface JwtOptions {
  /** HS256 shared secret. */
  secret?: string;
  /** PEM (SPKI) public key. */
  publicKey?: string;
  /** Algorithm of publicKey; default RS256. */
  publicKeyAlg?: 'RS256' | 'PS256' | 'ES256' | 'EdDSA';
  /** JWKS endpoint of the identity provider. */
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  /** Seconds of clock skew tolerated on exp/nbf; default 5. */
  clockToleranceSec?: number;
}

export function createTokenVerifier(options: JwtOptions): TokenVerifier {
  const verifyOptions = {
    issuer: options.issuer,
    audience: options.audience,
    clockTolerance: options.clockToleranceSec ?? 5,
    requiredClaims: ['exp', 'sub'],
  };
  let verifyToken: (token: string) => Promise<JWTPayload>;
  if (options.jwksUrl) {
    const jwks = createRemoteJWKSet(new URL(options.jwksUrl));
    verifyToken = async (token) =>
      (await jwtVerify(token, jwks, { ...verifyOptions, algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'] }))
        .payload;
  } else if (options.publicKey) {
    const alg = options.publicKeyAlg ?? 'RS256';
    const key = importSPKI(options.publicKey, alg);
    verifyToken = async (token) =>
      (await jwtVerify(token, await key, { ...verifyOptions, algorithms: [alg] })).payload;
  } else if (options.secret) {
    const key = new TextEncoder().encode(options.secret);
    verifyToken = async (token) =>
      (await jwtVerify(token, key, { ...verifyOptions, algorithms: ['HS256'] })).payload;
  } else {
    throw new ConfigError([
      {
        variable: 'JWT_SECRET',
        problem: 'missing',
        expected: 'one of JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL',
      },
    ]);
  }

  return {
    async verify(token) {
      let payload: JWTPayload;
      try {
        payload = await verifyToken(token);
      } catch (err) {
        throw invalidToken(describeJoseError(err));
      }
      const claims = ClaimsSchema.safeParse(payload);
      if (!claims.success) {
        throw invalidToken(
          `The token's claims are invalid: ${claims.error.issues.map((i) => i.path.join('.') || i.message).join(', ')}.`,
        );
      }
      const { sub, role, scope, name, exp } = claims.data;
      return { sub, role, scope, name, expiresAt: new Date(exp * 1000) };
    },
  };
}

/** The JWT settings of a service's config (see authConfig). */
export interface JwtConfig {
  JWT_SECRET?: string;
  JWT_PUBLIC_KEY?: string;
  JWT_PUBLIC_KEY_ALG?: JwtOptions['publicKeyAlg'];
  JWT_JWKS_URL?: string;
  JWT_ISSUER?: string;
  JWT_AUDIENCE?: string;
}

/**
 * The verifier a service's config asks for. Throws a ConfigError when no key is configured, or when
 * NODE_ENV=production and the key is the local development secret.
 */
export function tokenVerifierFromConfig(
  config: JwtConfig,
  env: NodeJS.ProcessEnv = process.env,
): TokenVerifier {
  if (env.NODE_ENV === 'production' && config.JWT_SECRET === LOCAL_DEV_JWT_SECRET) {
    throw new ConfigError([
      {
        variable: 'JWT_SECRET',
        problem: 'the local development secret in production',
        expected: 'a secret of this deployment, or JWT_JWKS_URL / JWT_PUBLIC_KEY',
      },
    ]);
  }
  return createTokenVerifier({
    secret: config.JWT_SECRET,
    publicKey: config.JWT_PUBLIC_KEY,
    publicKeyAlg: config.JWT_PUBLIC_KEY_ALG,
    jwksUrl: config.JWT_JWKS_URL,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  });
}

function describeJoseError(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'The token has expired.';
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'The token signature is invalid.';
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `The token's ${err.claim} claim is invalid.`;
  if (err instanceof joseErrors.JOSEAlgNotAllowed)
    return 'The token is signed with an algorithm that is not accepted.';
  if (err instanceof joseErrors.JWSInvalid || err instanceof joseErrors.JWTInvalid)
    return 'The token is malformed.';
  if (err instanceof joseErrors.JWKSNoMatchingKey) return 'No key matches the token.';
  return 'The token could not be verified.';
}

function wwwAuthenticate(error?: string, description?: string): string {
  const parts = [`Bearer realm="${AUTH_REALM}"`];
  if (error) parts.push(`error="${error}"`);
  if (description) parts.push(`error_description="${description.replace(/["\\]/g, '')}"`);
  return parts.join(', ');
}

function invalidToken(detail: string): HttpProblem {
  return new HttpProblem(
    401,
    undefined,
    detail,
    {},
    { 'WWW-Authenticate': wwwAuthenticate('invalid_token', detail) },
  );
}

/**
 * Middleware: requires `Authorization: Bearer <jwt>` and sets `req.principal`. Missing, malformed,
 * expired or badly signed tokens get 401 problem+json with a WWW-Authenticate header (RFC 6750).
 */
export function authenticate(verifier: TokenVerifier): RequestHandler {
  return async (req, _res, next) => {
    const header = req.headers.authorization;
    if (!header) {
      throw new HttpProblem(
        401,
        undefined,
        'A bearer token is required.',
        {},
        { 'WWW-Authenticate': wwwAuthenticate() },
      );
    }
    const match = /^Bearer\s+([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*)\s*$/i.exec(header);
    if (!match) {
      throw new HttpProblem(
        401,
        undefined,
        'The Authorization header must be "Bearer <token>".',
        {},
        {
          'WWW-Authenticate': wwwAuthenticate('invalid_request', 'Bearer token expected'),
        },
      );
    }
    req.principal = await verifier.verify(match[1]!);
    next();
  };
}

/** The authenticated principal of a request; 401 when authenticate() did not run or failed. */
export function principalOf(req: Request): Principal {
  if (!req.principal) {
    throw new HttpProblem(
      401,
      undefined,
      'A bearer token is required.',
      {},
      { 'WWW-Authenticate': wwwAuthenticate() },
    );
  }
  return req.principal;
}

/** Middleware: 403 unless the principal has one of the roles. Use after authenticate(). */
export function authorize(...roles: Role[]): RequestHandler {
  const allowed = new Set<Role>(roles);
  return (req, _res, next) => {
    const principal = principalOf(req);
    if (!allowed.has(principal.role)) {
      throw new HttpProblem(403, undefined, `This action needs one of the roles: ${roles.join(', ')}.`, {
        title_zh: '当前角色无权进行此操作',
      });
    }
    next();
  };
}

// The scope rule is the domain's (contracts): a use case and the kit refuse a wrong scope alike.
export { assertScope, inScope } from '@recycling/contracts';
