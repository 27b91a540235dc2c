import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CaptureFormatError } from "../../../src/capture/capture-format-error.js";
import { readChunks } from "../../../src/capture/read-capture.js";
import { Conversation, LINK, pcapFile, pcapngFile } from "../../helpers/capture-writer.js";

const T0 = 1_765_000_000_000;

function session(): Conversation {
  const conv = new Conversation({ addr: "2001:db8::2", port: 40000 }, { addr: "2001:db8::1", port: 1883 });
  conv.handshake(T0);
  conv.mqtt("client", T0 + 1, {
    cmd: "connect",
    clientId: "x",
    keepalive: 5,
    protocolVersion: 4,
    clean: true,
    protocolId: "MQTT",
  });
  conv.mqtt("broker", T0 + 2, { cmd: "connack", returnCode: 0, sessionPresent: false });
  conv.mqtt("client", T0 + 5, {
    cmd: "publish",
    topic: "a/b",
    payload: Buffer.alloc(40, 1),
    qos: 1,
    messageId: 3,
    retain: false,
    dup: false,
  });
  conv.mqtt("client", T0 + 9, { cmd: "pingreq" });
  conv.rst("broker", T0 + 10);
  return conv;
}

async function read(file: Buffer) {
  async function* one() {
    yield file;
  }
  return readChunks("fuzz", one(), { ports: [1883], tlsPorts: [8883] });
}

describe("corrupt captures", () => {
  const files = [
    pcapFile(session().packets, { linkType: LINK.sll2 }),
    pcapngFile(session().packets, { bigEndian: true, interfaces: [{ linkType: LINK.ethernet, tsresol: 9 }] }),
  ];
  it.each([0, 1])(
    "flipped bytes in file %i: a report or one CaptureFormatError, never another error",
    async (which) => {
      const original = files[which] as Buffer;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ at: fc.nat(original.length - 1), value: fc.nat(255) }), {
            minLength: 1,
            maxLength: 12,
          }),
          async (flips) => {
            const file = Buffer.from(original);
            for (const f of flips) file[f.at] = f.value;
            try {
              await read(file);
            } catch (err) {
              expect(err).toBeInstanceOf(CaptureFormatError);
            }
          },
        ),
        { numRuns: 300, seed: 15 },
      );
    },
  );
});
