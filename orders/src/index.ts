import { runService } from '@gittix/common/service';
import { ordersService } from './service';

runService(ordersService);
