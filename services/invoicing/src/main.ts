import { runServiceMain } from '@recycling/service-kit';
import { invoicingService } from './service';

runServiceMain(invoicingService);
