// One DataView per buffer, not one per record: the hot loops that read four bytes at a time (word-wise
// interning) ask for the view of the buffer they are given, which is nearly always one of the last two (a range's
// bytes, and the unescaped copy of a record holding quotes).
let lastBytes: Uint8Array | null = null;
let lastView: DataView = new DataView(new ArrayBuffer(0));
let otherBytes: Uint8Array | null = null;
let otherView: DataView = lastView;

/** A DataView over `buf`'s bytes (one made before, when `buf` is one of the last two buffers asked for). */
export function viewOf(buf: Uint8Array): DataView {
  if (buf === lastBytes) return lastView;
  if (buf !== otherBytes) {
    otherBytes = buf;
    otherView = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  // Swap, so the buffer asked for now is the first one checked next time.
  const bytes = otherBytes;
  const view = otherView;
  otherBytes = lastBytes;
  otherView = lastView;
  lastBytes = bytes;
  lastView = view;
  return view;
}
