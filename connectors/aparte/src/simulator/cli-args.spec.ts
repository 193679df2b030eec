import { describe, expect, it } from "@jest/globals";
import { parseCliArgs } from "./cli-args";

describe("the simulator's CLI flags", () => {
  it.each([
    [[], {}],
    [["--port", "4102"], { port: 4102 }],
    [["--port=4102", "--seed", "3", "--tick-ms", "5000"], { port: 4102, seed: 3, tickEveryMs: 5000 }],
    [
      ["--host", "0.0.0.0", "--tickets", "20", "--slow-ms", "50"],
      { host: "0.0.0.0", ticketsPerSeance: 20, slowMs: 50 },
    ],
  ])("%j gives %j", (argv, options) => {
    expect(parseCliArgs(argv)).toEqual(options);
  });

  it.each([
    [["--prot", "4102"], /Unknown option --prot/],
    [["--port"], /--port needs an integer/],
    [["--host"], /--host needs an address/],
    [["--seed", "un"], /--seed needs an integer/],
  ])("refuses %j", (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});
