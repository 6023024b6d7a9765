import { runServiceMain } from '@recycling/service-kit';
import { sortingService } from './service';

runServiceMain(sortingService);
