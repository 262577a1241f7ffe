// A city-chunk's bytes are not in the core's chunk format: a defect or corruption, never a user's input.

export class ChunkFormatError extends Error {
  override name = 'ChunkFormatError';
}
