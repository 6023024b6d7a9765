import { createLogger } from '@recycling/observability';
import { listen, loadConfig, runService } from '@recycling/service-kit';
import { InvoicingConfig } from './config';
import { SERVICE_NAME, buildService } from './service';

const logger = createLogger({ service: SERVICE_NAME });

void runService({
  name: SERVICE_NAME,
  logger,
  start: async (shutdown) => {
    const config = loadConfig(InvoicingConfig);
    logger.level = config.LOG_LEVEL;
    shutdown.setTimeoutMs(config.SHUTDOWN_TIMEOUT_MS);
    const service = await buildService(config, logger, shutdown);
    return { server: await listen(service.app, config.PORT) };
  },
});
