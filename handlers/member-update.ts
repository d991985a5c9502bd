// Serf's agent runs this on 'member-update' (see the ha image's handlers.json).
import { wakeEngine } from './cli/wake-engine.ts';

wakeEngine('member-update');
