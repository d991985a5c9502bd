import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  main
} from "./shared-4QHJ33XK.mjs";
import "./shared-N5PQJP47.mjs";
import "./shared-XEJWW3LE.mjs";

// handlers/reconcile.ts
main("reconcile");
