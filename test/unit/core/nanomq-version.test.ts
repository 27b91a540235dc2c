import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/core/errors.js";
import { parseNanomqVersion, parseProfileOptions } from "../../../src/core/options.js";
import { NANOMQ_LATEST } from "../../../src/core/profile.js";
import { findTemplate } from "../../../src/signatures/render.js";
import type { SignatureId } from "../../../src/signatures/types.js";

/** The text the catalogue gives `id`/`key` for the NanoMQ version `text` parses to ("" = none printed). */
const wording = (text: string, id: SignatureId, key: string) =>
  findTemplate(id, key, "nanomq", parseNanomqVersion(text))?.text ?? "";

describe("--nanomq-version", () => {
  it("takes real versions, release tags, minors and latest", () => {
    expect(parseNanomqVersion("0.21.9")).toEqual([0, 21, 9]);
    expect(parseNanomqVersion("0.25.3")).toEqual([0, 25, 3]);
    expect(parseNanomqVersion("v0.25.3")).toEqual([0, 25, 3]);
    expect(parseNanomqVersion(" 0.21 ")).toEqual([0, 21, 0]);
    expect(parseNanomqVersion("latest")).toBe(NANOMQ_LATEST);
    expect(parseProfileOptions({ nanomqVersion: "0.21.9" }).nanomqVersion).toEqual([0, 21, 9]);
    expect(parseProfileOptions({}).nanomqVersion).toBe(NANOMQ_LATEST);
  });

  it("refuses anything else with a usage error that names real versions", () => {
    for (const bad of ["", "0", "0.21.9.1", "nanomq-0.21.9", "0.x", "latest2"]) {
      expect(() => parseNanomqVersion(bad), bad).toThrow(UsageError);
    }
    expect(() => parseNanomqVersion("0.x")).toThrow(/0\.21\.9, 0\.25\.3/);
  });

  it("picks the era a real version falls in: 0.21.9's wordings, 0.25.3's, and 0.21 with 0.21.9", () => {
    // measured on the real builds (test/integration/nanomq/fidelity.test.ts)
    for (const v of ["0.21", "0.21.0", "0.21.9"]) {
      expect(wording(v, "parse-error", "rv"), v).toBe("tcptran_pipe_recv_cb: parse error rv: {rv}");
      expect(wording(v, "keepalive-timeout", "kick"), v).toBe(
        "Warning: close pipe & kick client due to KeepAlive timeout!",
      );
      expect(wording(v, "connect-timeout", "nego-rv"), v).toBe("connect nego error rv: Timed out({rv})");
      expect(wording(v, "takeover", "collision"), v).toBe("");
      expect(wording(v, "client-connected", "online"), v).toBe("");
    }
    for (const v of ["0.25.3", "v0.25.3", "latest"]) {
      expect(wording(v, "parse-error", "rv"), v).toBe("tcptran_pipe_recv_cb: recv_error rv: {rv}");
      expect(wording(v, "keepalive-timeout", "kick"), v).toBe(
        "Warning: close pipe {pipeId} & kick client due to KeepAlive timeout!",
      );
      expect(wording(v, "connect-timeout", "nego-rv"), v).toBe("connect nego error rv:({rv})");
      expect(wording(v, "takeover", "collision"), v).toBe("Client ID collision or set ID failed!");
      expect(wording(v, "client-connected", "online"), v).toBe("{clientId} online!");
    }
    // 0.21.10 is past 0.21.9: the recv_error wording (docs/broker-facts.md; no build of it checked)
    expect(wording("0.21.10", "parse-error", "rv")).toBe("tcptran_pipe_recv_cb: recv_error rv: {rv}");
  });
});
