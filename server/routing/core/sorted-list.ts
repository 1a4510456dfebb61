/**
 * An array kept sorted by a strict total order. Routing inserts mostly at the
 * tail (new work is the newest; a freed agent is the least recently idle), so
 * insertion checks the tail first and otherwise binary-searches; removal
 * binary-searches by the same order. A splice in a few thousand entries is a
 * short memmove, cheaper than a balanced tree's pointer chasing at this size.
 */
export class SortedList<T> {
  readonly items: T[] = [];

  constructor(private readonly compare: (a: T, b: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  insert(value: T): void {
    const a = this.items;
    if (a.length === 0 || this.compare(a[a.length - 1]!, value) < 0) {
      a.push(value);
      return;
    }
    a.splice(this.lowerBound(value), 0, value);
  }

  /** Removes the entry equal to `value` under the order; false when absent. */
  remove(value: T): boolean {
    const a = this.items;
    const i = this.lowerBound(value);
    if (i < a.length && this.compare(a[i]!, value) === 0) {
      if (i === 0) a.shift();
      else a.splice(i, 1);
      return true;
    }
    return false;
  }

  /** How many entries sort before `value`. */
  lowerBound(value: T): number {
    const a = this.items;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(a[mid]!, value) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  first(): T | undefined {
    return this.items[0];
  }
}
