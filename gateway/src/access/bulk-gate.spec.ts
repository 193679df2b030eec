import { BulkGate } from "./bulk-gate";

function deferred() {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((r) => setImmediate(r));

describe("BulkGate", () => {
  it("lets `limit` holders in at once and the others in arrival order", async () => {
    const gate = new BulkGate(2);
    const works = Array.from({ length: 5 }, () => deferred());
    const started: number[] = [];
    const done = works.map((w, i) =>
      gate.run(async () => {
        started.push(i);
        await w.promise;
        return i;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    works[1].resolve();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    works[0].resolve();
    works[2].resolve();
    await tick();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    works[3].resolve();
    works[4].resolve();
    expect(await Promise.all(done)).toEqual([0, 1, 2, 3, 4]);
  });

  it("frees the slot of a holder that fails, and passes its error on", async () => {
    const gate = new BulkGate(1);
    const failing = deferred();
    const first = gate.run(() => failing.promise);
    const second = gate.run(async () => "second");
    failing.reject(new Error("base indisponible"));
    await expect(first).rejects.toThrow("base indisponible");
    await expect(second).resolves.toBe("second");
    // Nobody left holding it: the next one goes straight in.
    await expect(gate.run(async () => "third")).resolves.toBe("third");
  });
});
