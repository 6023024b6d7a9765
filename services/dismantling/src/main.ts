import { createLogger } from '@recycling/observability';
import { listen, loadConfig, runService } from '@recycling/service-kit';
import { DismantlingConfig } from './config';
import { buildService, SERVICE_NAME } from './service';

const logger = createLogger({ service: SERVICE_NAME });

void runService({
  name: SERVICE_NAME,
  logger,
  start: async (shutdown) => {
    const config = loadConfig(DismantlingConfig);
    logger.level = config.LOG_LEVEL;
    shutdown.setTimeoutMs(config.SHUTDOWN_TIMEOUT_MS);
    const service = await buildService(config, logger, shutdown);
    return { server: await listen(service.app, config.PORT) };
  },
});
