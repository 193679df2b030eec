import { describe, expect, it } from "@jest/globals";
import { WEDGE_GAP_MS, WedgeBuffer } from "./keyboard-wedge";

/** Feeds keys at the given instants; returns the codes read. */
function feed(keys: [string, number][]): string[] {
  const buffer = new WedgeBuffer();
  return keys.map(([key, at]) => buffer.key(key, at)).filter((code): code is string => code !== null);
}

/** A string typed one key every `gap` ms from `start`, then Enter `enterGap` ms after the last key. */
function typed(text: string, gap: number, start = 1000, enterGap = gap): [string, number][] {
  const keys: [string, number][] = [...text].map((c, i) => [c, start + i * gap]);
  return [...keys, ["Enter", start + (text.length - 1) * gap + enterGap]];
}

describe("WedgeBuffer", () => {
  it.each<[string, [string, number][], string[]]>([
    ["a reader's burst is one code", typed("S-0001", 5), ["S-0001"]],
    [
      "Shift between the characters of a burst is ignored",
      [
        ["Shift", 1000],
        ["A", 1002],
        ["Shift", 1004],
        ["B", 1006],
        ["1", 1008],
        ["Enter", 1010],
      ],
      ["AB1"],
    ],
    ["a person typing (150 ms apart) is no code", typed("WEDGE-0002", 150), []],
    ["a lone key then Enter is no code", typed("A", 5), []],
    [
      "a pause in the middle starts a new burst",
      [
        ["X", 1000],
        ["Y", 1005],
        ["Z", 1200],
        ["1", 1205],
        ["2", 1210],
        ["Enter", 1215],
      ],
      ["Z12"],
    ],
    ["an Enter long after the burst reads nothing", typed("S-0001", 5, 1000, WEDGE_GAP_MS + 1), []],
    ["two bursts are two codes", [...typed("AAA1", 5, 1000), ...typed("BBB2", 5, 2000)], ["AAA1", "BBB2"]],
    [
      "another key (Tab) ends a burst",
      [
        ["A", 1000],
        ["B", 1005],
        ["Tab", 1010],
        ["Enter", 1015],
      ],
      [],
    ],
  ])("%s", (_what, keys, codes) => {
    expect(feed(keys)).toEqual(codes);
  });

  it("says when an Enter now would end a burst", () => {
    const buffer = new WedgeBuffer();
    expect(buffer.collecting(1000)).toBe(false);
    buffer.key("A", 1000);
    expect(buffer.collecting(1010)).toBe(true);
    expect(buffer.collecting(1000 + WEDGE_GAP_MS)).toBe(false);
  });
});
