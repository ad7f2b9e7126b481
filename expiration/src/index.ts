import { runService } from '@gittix/common/service';
import { expirationService } from './service';

runService(expirationService);
