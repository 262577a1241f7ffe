// One DataView per buffer, not one per record: the hot loops that read or copy four bytes at a time (the
// splitter, the chunk writer, word-wise interning) ask for the view of the buffer they are given, which is
// nearly always the one they were given last.
let lastBytes: Uint8Array | null = null;
let lastView: DataView = new DataView(new ArrayBuffer(0));

/** A DataView over `buf`'s bytes (the last one made, when `buf` is the buffer it was made for). */
export function viewOf(buf: Uint8Array): DataView {
  if (buf !== lastBytes) {
    lastBytes = buf;
    lastView = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  return lastView;
}
