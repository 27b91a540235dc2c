/**
 * `NODE_OPTIONS="--import <this file>" mqdiag …`: stands in for a bug in the embedded broker, from outside it and
 * through public APIs only (src has no test hook for it): writing a PINGRESP (0xd0 0x00) to a socket throws, so the
 * broker's PINGREQ handler fails inside the broker's own call stack, where an unexpected exception is an internal
 * error (src/broker/intake.ts). Only a broker writes a PINGRESP; the clients in the same process are untouched.
 */
import net from "node:net";

const write = net.Socket.prototype.write;
net.Socket.prototype.write = function (chunk, ...rest) {
  if (Buffer.isBuffer(chunk) && chunk.length === 2 && chunk[0] === 0xd0 && chunk[1] === 0x00) {
    throw new Error("injected PINGRESP failure");
  }
  return write.call(this, chunk, ...rest);
};
