import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import "./shared-XEJWW3LE.mjs";

// handlers/cli/watch-members.ts
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
var MEMBER_CHANGE = /serf: EventMember(Join|Leave|Failed|Update|Reap): /;
function watchMemberChanges(monitorCmd, wake, log) {
  const child = spawn("/bin/sh", ["-c", `exec ${monitorCmd}`], { stdio: ["ignore", "pipe", "ignore"] });
  createInterface({ input: child.stdout }).on("line", (line) => {
    if (MEMBER_CHANGE.test(line)) wake();
  });
  child.on("error", () => {
  });
  child.on("close", (code) => {
    log("warn", "member watch ended; starting it again in 1 s", { code: code ?? void 0 });
    setTimeout(() => watchMemberChanges(monitorCmd, wake, log), 1e3);
  });
}
export {
  watchMemberChanges
};
