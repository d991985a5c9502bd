// Rebuilds the nodes directory from `serf members`: the ha image runs it at
// start and every RECONCILE_INTERVAL seconds, so a missed event heals itself.
import { main } from './lib/run-entry.ts';

main('reconcile');
