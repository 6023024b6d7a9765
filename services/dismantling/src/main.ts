import { runServiceMain } from '@recycling/service-kit';
import { dismantlingService } from './service';

runServiceMain(dismantlingService);
