/// <reference types="jest" />
import { Decimal128, type Document, Long, ObjectId } from "bson";
import { copyValue, identicalValues } from "../bson/copy-value";
import { QueryError, runPipeline } from "./mingo-options";

const eventA = new ObjectId("64b7f0c2a1b2c3d4e5f60001");
const eventB = new ObjectId("64b7f0c2a1b2c3d4e5f60002");
const tickets = [
  { _id: 1, event: eventA, price: 20, status: "scanned", meta: { gate: "A" } },
  { _id: 2, event: eventA, price: 35, status: "valid", meta: { gate: "B" } },
  { _id: 3, event: eventB, price: Long.fromString("9007199254740993"), status: "valid", meta: { gate: "A" } },
];
const events = [
  { _id: eventA, name: "Concert" },
  { _id: eventB, name: "Match" },
];
const collectionResolver = (name: string) => (name === "events" ? events : []);

describe("runPipeline", () => {
  it("counts like countDocuments does", () => {
    const out = runPipeline(tickets, [
      { $match: { status: "valid" } },
      { $group: { _id: 1, n: { $sum: 1 } } },
    ]);
    expect(out).toEqual([{ _id: 1, n: 2 }]);
  });

  it("groups by name (Agenda) and sorts in BSON order", () => {
    const out = runPipeline(tickets, [{ $group: { _id: "$status" } }, { $sort: { _id: -1 } }]);
    expect(out).toEqual([{ _id: "valid" }, { _id: "scanned" }]);
  });

  it("matches and sorts Longs by value", () => {
    const out = runPipeline(tickets, [
      { $match: { price: { $gt: 9007199254740992 } } },
      { $project: { _id: 1 } },
    ]);
    expect(out).toEqual([{ _id: 3 }]);
    const sorted = runPipeline(tickets, [{ $sort: { price: -1 } }, { $project: { _id: 1 } }]);
    expect(sorted.map((d) => d._id)).toEqual([3, 2, 1]);
  });

  it("takes $max over Longs by value", () => {
    const out = runPipeline(tickets, [
      { $group: { _id: null, top: { $max: "$price" }, low: { $min: "$price" } } },
    ]);
    expect(out).toEqual([{ _id: null, top: Long.fromString("9007199254740993"), low: 20 }]);
  });

  it("sums Decimal128 and Long values exactly instead of skipping them", () => {
    const prices = [
      { p: Decimal128.fromString("19.99") },
      { p: Decimal128.fromString("0.01") },
      { p: 5 },
      { p: "n/a" },
    ];
    expect(
      runPipeline(prices, [{ $group: { _id: null, total: { $sum: "$p" }, avg: { $avg: "$p" } } }]),
    ).toEqual([{ _id: null, total: Decimal128.fromString("25.00"), avg: 25 / 3 }]);
    const out = runPipeline(tickets, [{ $group: { _id: null, total: { $sum: "$price" }, n: { $sum: 1 } } }]);
    expect(out).toEqual([{ _id: null, total: Long.fromString("9007199254741048"), n: 3 }]);
  });

  it("joins another collection with $lookup", () => {
    const out = runPipeline(
      tickets.slice(0, 1),
      [
        { $lookup: { from: "events", localField: "event", foreignField: "_id", as: "ev" } },
        { $project: { name: { $first: "$ev.name" } } },
      ],
      { collectionResolver },
    );
    expect(out).toEqual([{ _id: 1, name: "Concert" }]);
  });

  it("passes $lookup `let` variables to the sub-pipeline's $match", () => {
    const out = runPipeline(
      tickets,
      [
        { $match: { _id: { $in: [1, 3] } } },
        {
          $lookup: {
            from: "events",
            let: { ev: "$event" },
            pipeline: [{ $match: { $expr: { $eq: ["$_id", "$$ev"] } } }, { $project: { _id: 0, name: 1 } }],
            as: "ev",
          },
        },
        { $project: { ev: 1 } },
      ],
      { collectionResolver },
    );
    expect(out).toEqual([
      { _id: 1, ev: [{ name: "Concert" }] },
      { _id: 3, ev: [{ name: "Match" }] },
    ]);
  });

  it("supports $facet, $unwind, $count and variables", () => {
    const out = runPipeline(
      tickets,
      [
        {
          $facet: {
            gates: [{ $group: { _id: "$meta.gate" } }, { $count: "n" }],
            cheap: [{ $match: { $expr: { $lt: ["$price", "$$limit"] } } }, { $count: "n" }],
          },
        },
      ],
      { variables: { limit: 30 } },
    );
    expect(out).toEqual([{ gates: [{ n: 2 }], cheap: [{ n: 1 }] }]);
  });

  it("never modifies the input documents", () => {
    const input = tickets.map((t) => copyValue(t));
    const snapshot = input.map((t) => copyValue(t));
    runPipeline(input, [
      { $set: { "meta.gate": "Z", extra: 1 } },
      { $unset: "meta.gate" },
      { $project: { "meta.gate": 0 } },
    ]);
    runPipeline(
      input,
      [{ $lookup: { from: "events", localField: "event", foreignField: "_id", as: "meta.ev" } }],
      { collectionResolver },
    );
    expect(input.every((t, i) => identicalValues(t, snapshot[i]))).toBe(true);
  });

  it.each<[string, Document[], number, string]>([
    ["unknown stage", [{ $frobnicate: {} }], 40324, "Unrecognized pipeline stage name: '$frobnicate'"],
    ["$out", [{ $out: "copy" }], 115, "$out stage is not supported by this server"],
    ["$merge", [{ $merge: { into: "x" } }], 115, "$merge stage is not supported by this server"],
    ["$changeStream", [{ $changeStream: {} }], 115, "$changeStream stage is not supported by this server"],
    ["$search", [{ $search: {} }], 115, "$search stage is not supported by this server"],
    ["$geoNear", [{ $geoNear: {} }], 115, "$geoNear stage is not supported by this server"],
    [
      "nested unknown stage",
      [{ $facet: { a: [{ $nope: 1 }] } }],
      40324,
      "Unrecognized pipeline stage name: '$nope'",
    ],
    [
      "two fields in a stage",
      [{ $match: {}, $limit: 1 }],
      40323,
      "A pipeline stage specification object must contain exactly one field.",
    ],
    [
      "$function",
      [{ $project: { x: { $function: { body: "return 1", args: [], lang: "js" } } } }],
      2,
      "$function is not allowed in this server",
    ],
    [
      "$accumulator",
      [{ $group: { _id: null, x: { $accumulator: {} } } }],
      2,
      "$accumulator is not allowed in this server",
    ],
    ["$where in $match", [{ $match: { $where: "1" } }], 2, "$where is not allowed in this server"],
    ["bad $match operator", [{ $match: { a: { $foo: 1 } } }], 2, "unknown operator: $foo"],
  ])("refuses %s", (_name, pipeline, code, message) => {
    let caught: unknown;
    try {
      runPipeline(tickets, pipeline);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(QueryError);
    expect({ code: (caught as QueryError).code, message: (caught as QueryError).message }).toEqual({
      code,
      message,
    });
  });
});
