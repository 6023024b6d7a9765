import { runServiceMain } from '@recycling/service-kit';
import { subsidiesService } from './service';

runServiceMain(subsidiesService);
