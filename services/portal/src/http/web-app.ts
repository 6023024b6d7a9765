// The built single-page app: hashed assets cached for good, every other GET outside /api answered
// with index.html so that deep links (/resident, /station …) survive a reload.
import path from 'node:path';
import express, { type Router } from 'express';

// helmet's default policy adds upgrade-insecure-requests, which breaks the portal when a station
// opens it over plain http on the local network (a phone at http://192.168.x.x:4100).
export const WEB_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'self'",
  "form-action 'self'",
].join('; ');

export function webAppRoutes(router: Router, distDir: string): void {
  router.use((req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') res.setHeader('Content-Security-Policy', WEB_CSP);
    next();
  });
  router.use('/assets', express.static(path.join(distDir, 'assets'), { immutable: true, maxAge: '365d' }));
  router.use(express.static(distDir, { index: false, maxAge: 0 }));
  router.get(/^\/(?!api\/|assets\/|openapi\.json$).*/, (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(path.join(distDir, 'index.html'));
  });
}
