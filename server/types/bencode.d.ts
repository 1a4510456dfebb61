/** The parts of `bencode` (webtorrent's, no bundled types) the NG client uses. */
declare module 'bencode' {
  const bencode: {
    encode(value: unknown): Uint8Array;
    /** Strings come back as bytes. */
    decode(data: Uint8Array): unknown;
  };
  export default bencode;
}
