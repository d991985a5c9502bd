// Serf's agent runs this on 'member-reap' (see the ha image's handlers.json).
import { wakeEngine } from './cli/wake-engine.ts';

wakeEngine('member-reap');
