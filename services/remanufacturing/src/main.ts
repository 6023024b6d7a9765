import { runServiceMain } from '@recycling/service-kit';
import { remanufacturingService } from './service';

runServiceMain(remanufacturingService);
