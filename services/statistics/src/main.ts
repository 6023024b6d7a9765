import { runServiceMain } from '@recycling/service-kit';
import { statisticsService } from './service';

runServiceMain(statisticsService);
