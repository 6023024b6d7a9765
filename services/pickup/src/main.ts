import { runServiceMain } from '@recycling/service-kit';
import { pickupService } from './service';

runServiceMain(pickupService);
