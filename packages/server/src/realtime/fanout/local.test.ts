import { runFanoutContract } from "./fanout.contract.ts";
import { LocalFanout } from "./local.ts";

runFanoutContract("LocalFanout", () => {
  const fanout = new LocalFanout();
  return { a: fanout, b: fanout };
});
