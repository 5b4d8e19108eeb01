import { CUSTOMER_DISPLAY_CHANNELS } from '../shared/contract/channel-names';
import { exposeChannels } from './expose-channels';

/**
 * The customer display's preload: only the channels the display needs to show one link's
 * amount, QR and status (and to report its own crash). Main refuses every other channel from
 * this window anyway; not exposing them keeps a compromised display page from even trying.
 */
exposeChannels(CUSTOMER_DISPLAY_CHANNELS);
