// Rebuilds the nodes directory from `serf members`: the ha image runs it at
// start, every RECONCILE_INTERVAL seconds and on a backend-ready user event,
// so a missed event heals itself.
import { main } from './cli/run-entry.ts';

main('reconcile');
