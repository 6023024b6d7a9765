// Local sign-in: the portal mints a development token so people can try every role without an
// identity provider. In production tokens come from the identity provider, so this is refused.
import { DomainError } from '@recycling/contracts';
import { mintToken } from '@recycling/service-kit';
import type { DevTokenRequest, DevTokenResponse } from './schemas';

export const DEV_TOKEN_PATH = '/api/portal/dev-token';
const TTL_SECONDS = 8 * 3600;

export interface DevTokenOptions {
  production: boolean;
  secret: string;
}

export async function mintDevToken(
  body: DevTokenRequest,
  options: DevTokenOptions,
): Promise<DevTokenResponse> {
  if (options.production) {
    throw new DomainError(
      'forbidden',
      'local-sign-in-disabled',
      '生产环境请通过统一身份认证登录 / Sign in through the identity provider in production.',
      { title: { zh: '生产环境不提供本地登录', en: 'Local sign-in is disabled in production' } },
    );
  }
  const scope = body.role === 'resident' ? (body.scope ?? body.sub) : body.scope;
  const token = await mintToken({
    sub: body.sub,
    role: body.role,
    scope,
    name: body.name,
    ttl: TTL_SECONDS,
    secret: options.secret,
  });
  return {
    token,
    principal: { sub: body.sub, role: body.role, scope, name: body.name },
    expiresAt: new Date(Date.now() + TTL_SECONDS * 1000).toISOString(),
  };
}
