import { createLogger } from '@recycling/observability';
import { listen, loadConfig, runService } from '@recycling/service-kit';
import { SortingConfig } from './config';
import { buildService } from './service';

const logger = createLogger({ service: 'sorting' });

void runService({
  name: 'sorting',
  logger,
  start: async (shutdown) => {
    const config = loadConfig(SortingConfig);
    logger.level = config.LOG_LEVEL;
    shutdown.setTimeoutMs(config.SHUTDOWN_TIMEOUT_MS);
    const service = await buildService(config, logger, shutdown);
    return { server: await listen(service.app, config.PORT) };
  },
});
