// Local sign-in: the portal mints a development token so people can try every role without an
// identity provider. In production tokens come from the identity provider, so this is refused.
import type { Router } from 'express';
import { HttpProblem, mintToken, validated } from '@recycling/service-kit';
import { DevTokenRequest, type DevTokenResponse } from './schemas';

export const DEV_TOKEN_PATH = '/api/portal/dev-token';
const TTL_SECONDS = 8 * 3600;

export interface DevTokenOptions {
  production: boolean;
  secret: string;
}

export function devTokenRoute(router: Router, options: DevTokenOptions): void {
  router.post(
    DEV_TOKEN_PATH,
    validated({ body: DevTokenRequest }, async ({ body }, _req, res) => {
      if (options.production) {
        throw new HttpProblem(
          403,
          'Local sign-in is disabled in production',
          '生产环境请通过统一身份认证登录 / Sign in through the identity provider in production.',
          { title_zh: '生产环境不提供本地登录' },
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
      const answer: DevTokenResponse = {
        token,
        principal: { sub: body.sub, role: body.role, scope, name: body.name },
        expiresAt: new Date(Date.now() + TTL_SECONDS * 1000).toISOString(),
      };
      res.status(201).json(answer);
    }),
  );
}
