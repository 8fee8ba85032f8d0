// Operations the cashier starts go to the lane one at a time, in the order they were asked for (a scan
// typed during a slow marking check waits its turn), with a busy flag the screen shows meanwhile.
// Each store (receipt, return) has its own queue.

export type Serial = <T>(work: () => Promise<T>) => Promise<T>;

/** A queue that runs each operation after the previous one has settled, whatever its outcome. */
export function serialQueue(): Serial {
  let queue: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };
}

/** Runs work through `serial`, with `setBusy(true)` from the moment it is asked for until it settles. */
export function trackedBy(serial: Serial, setBusy: (busy: boolean) => void): Serial {
  return async <T>(work: () => Promise<T>): Promise<T> => {
    setBusy(true);
    try {
      return await serial(work);
    } finally {
      setBusy(false);
    }
  };
}
