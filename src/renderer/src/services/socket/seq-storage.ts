/**
 * Where the last applied `seq` is kept: per hub and user, for the life of the
 * tab (a new tab or app start takes a fresh snapshot anyway).
 */
export interface SeqStorage {
  load(): number | null;
  save(seq: number): void;
}

export function sessionSeqStorage(
  storage: Pick<Storage, 'getItem' | 'setItem'>,
  hubUrl: string,
  userId: string,
): SeqStorage {
  const key = `ieum:lastSeq:${hubUrl}:${userId}`;
  return {
    load() {
      const value = Number(storage.getItem(key));
      return storage.getItem(key) !== null && Number.isInteger(value) && value >= 0 ? value : null;
    },
    save(seq) {
      storage.setItem(key, String(seq));
    },
  };
}
