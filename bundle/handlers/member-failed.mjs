import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  main
} from "./shared-7EQZTQMR.mjs";

// handlers/member-failed.ts
main("member-failed");
