import { runService } from '@gittix/common/service';
import { ticketsService } from './service';

runService(ticketsService);
