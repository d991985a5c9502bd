// Serf's agent runs this on 'member-failed' (see the ha image's handlers.json).
import { wakeEngine } from './cli/wake-engine.ts';

wakeEngine('member-failed');
