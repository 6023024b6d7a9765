import { runServiceMain } from '@recycling/service-kit';
import { disposalsService } from './service';

runServiceMain(disposalsService);
