// Docker's log stream for a container without a TTY multiplexes stdout and stderr in frames:
// 8-byte header (stream id, 3 zero bytes, big-endian payload length), then the payload.

/** The text of a multiplexed log buffer; a buffer that is not framed (TTY container) is returned as is. */
export function demuxDockerLog(buffer: Buffer): string {
  const parts: string[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const stream = buffer[offset];
    const framed = (stream === 0 || stream === 1 || stream === 2) && buffer.readUIntBE(offset + 1, 3) === 0;
    if (!framed) return offset === 0 ? buffer.toString('utf8') : parts.join('');
    const length = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, offset + 8 + length).toString('utf8'));
    offset += 8 + length;
  }
  if (offset === 0) return buffer.toString('utf8');
  return parts.join('');
}
