import { CHANNEL_NAMES } from '../shared/contract/channel-names';
import { exposeChannels } from './expose-channels';

/** The main window's preload: every contract channel. */
exposeChannels(CHANNEL_NAMES);
