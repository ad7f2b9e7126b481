import { runService } from '@gittix/common/service';
import { paymentsService } from './service';

runService(paymentsService);
