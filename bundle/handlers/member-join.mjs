import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  main
} from "./shared-PEDSCAWE.mjs";
import "./shared-7TONJOX5.mjs";

// handlers/member-join.ts
main("member-join");
