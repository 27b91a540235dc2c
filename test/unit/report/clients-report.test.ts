import { describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_OPTIONS } from "../../../src/core/profile.js";
import { CLIENT_MODELS } from "../../../src/keepalive/clients/catalogue.js";
import { surveyClients, surveyEnds } from "../../../src/keepalive/clients/survey.js";
import { clientsJson } from "../../../src/report/clients-json.js";
import { clientsJunit } from "../../../src/report/clients-junit.js";
import { clientsTable } from "../../../src/report/clients-table.js";
import { visibleLength } from "../../../src/report/width.js";

const mosquitto = { ...DEFAULT_PROFILE_OPTIONS, profile: "mosquitto" as const };
// MQTT-C at KA 5 synced every 2 s against mosquitto: kicked in half the sweep phases (a "~50%" row)
const survey = surveyClients(
  CLIENT_MODELS,
  { keepaliveMs: 5000, oneWayLatencyMs: 0, loopIntervalMs: 2000 },
  mosquitto,
  { kind: "options" },
);

describe("clients reports", () => {
  it.each([72, 100, 200])("the table fits %i columns", (width) => {
    for (const line of clientsTable(survey, width).split("\n"))
      expect(visibleLength(line)).toBeLessThanOrEqual(width);
  });

  it("the table names the phase-dependent kick and the one ending", () => {
    const text = clientsTable(survey, 100);
    expect(text).toContain("broker ~50%");
    expect(text).toContain("1 of 10 libraries' idle connections end:");
    expect(surveyEnds(survey)).toBe(true);
  });

  it("JSON: mqtt-c's row with its ranges; numbers in seconds", () => {
    const doc = JSON.parse(clientsJson(survey)) as {
      schema: string;
      libraries: { library: string; [k: string]: unknown }[];
    };
    expect(doc.schema).toBe("mqdiag.clients/v1");
    expect(doc.libraries.find((l) => l.library === "mqtt-c")).toMatchObject({
      // 4 syncs of 2000.175 ms
      pingGapS: 8.001,
      givesUpAfterS: null,
      brokerKicksAfterS: 7.5,
      firstToAct: "broker",
      dependsOnPhase: true,
      endsShare: 0.5,
      pingGap: { minS: 8.001, maxS: 8.001 },
    });
  });

  it("JUnit: one failing case, the other nine passing", () => {
    const xml = clientsJunit(survey);
    expect(xml).toContain('tests="10" failures="1"');
  });
});
