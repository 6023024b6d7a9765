// Start-up: configuration, the web app build when dist is missing or stale (WEB_BUILD=auto), then the
// server. Started by `npm start` (tsx with telemetry registered first).
import { createLogger } from '@recycling/observability';
import { listen, loadConfig, runService } from '@recycling/service-kit';
import { PortalConfig } from './config';
import { buildPortal } from './server';
import { ensureWebBuild, WEB_DIR } from './web-build';

const logger = createLogger({ service: 'portal' });

void runService({
  name: 'portal',
  logger,
  start: async (shutdown) => {
    const config = loadConfig(PortalConfig);
    logger.level = config.LOG_LEVEL;
    shutdown.setTimeoutMs(config.SHUTDOWN_TIMEOUT_MS);
    if (config.WEB_BUILD === 'auto') logger.info(await ensureWebBuild(WEB_DIR, config.WEB_DIST));
    const { app } = buildPortal(config, logger, shutdown.isShuttingDown);
    const server = await listen(app, config.PORT);
    logger.info({ port: config.PORT }, 'portal listening');
    return { server };
  },
});
