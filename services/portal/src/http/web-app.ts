// The built single-page app: hashed assets cached for good and sent precompressed (brotli or gzip,
// made at build time by web/vite.config.mts), every other GET outside /api answered with index.html
// so that deep links (/resident, /station …) survive a reload.
import fs from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler, type Router } from 'express';

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

const ENCODINGS = [
  { token: 'br', ext: '.br' },
  { token: 'gzip', ext: '.gz' },
] as const;

/**
 * `/assets/<file>` as `<file>.br` or `<file>.gz` when the browser takes that encoding and the build
 * made it; the plain file otherwise (express.static, after this).
 */
export function precompressedAssets(assetsDir: string): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const name = path.normalize(decodeURIComponent(req.path)).replace(/^([/\\])+/, '');
    if (!name || name.startsWith('..')) return next();
    const accepted = req.acceptsEncodings(ENCODINGS.map((e) => e.token));
    const encoding = ENCODINGS.find((e) => e.token === accepted);
    const file = encoding ? path.join(assetsDir, name + encoding.ext) : undefined;
    res.setHeader('Vary', 'Accept-Encoding');
    if (!encoding || !file || !fs.existsSync(file)) return next();
    res.setHeader('Content-Encoding', encoding.token);
    res.type(path.extname(name));
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.sendFile(file, { cacheControl: false }, (err) => err && next(err));
  };
}

export function webAppRoutes(router: Router, distDir: string): void {
  router.use((req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') res.setHeader('Content-Security-Policy', WEB_CSP);
    next();
  });
  const assets = path.join(distDir, 'assets');
  router.use('/assets', precompressedAssets(assets));
  router.use('/assets', express.static(assets, { immutable: true, maxAge: '365d' }));
  router.use(express.static(distDir, { index: false, maxAge: 0 }));
  router.get(/^\/(?!api\/|assets\/|openapi\.json$).*/, (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(path.join(distDir, 'index.html'));
  });
}
