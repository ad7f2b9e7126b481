import { runService } from '@gittix/common/service';
import { authService } from './service';

runService(authService);
