import { describe, expect, it } from "vitest";
import { isRealLibraryId, REAL_LIBRARY_IDS, realLibrary } from "../../../src/clients/real/index.js";
import { CLIENT_MODELS } from "../../../src/keepalive/clients/catalogue.js";

describe("the real client libraries and their models", () => {
  it("every model that runs here has a runner, and every runner's model is measured side by side", () => {
    expect(CLIENT_MODELS.filter((m) => m.runnableHere).map((m) => m.id)).toEqual([...REAL_LIBRARY_IDS]);
    for (const id of REAL_LIBRARY_IDS) {
      expect(realLibrary(id).id).toBe(id);
      expect(CLIENT_MODELS.find((m) => m.id === id)?.source).toBe("measured");
    }
    expect(CLIENT_MODELS.filter((m) => !m.runnableHere).map((m) => m.source)).not.toContain("measured");
  });

  it("recognises the ids --client takes", () => {
    expect(isRealLibraryId("mqtt-c")).toBe(true);
    expect(isRealLibraryId("esp-mqtt")).toBe(false);
    expect(isRealLibraryId("MQTT-C")).toBe(false);
  });
});
