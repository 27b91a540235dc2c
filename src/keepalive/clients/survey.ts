import type { KeepaliveParams } from "../predict.js";
import type { ClientConditions, ClientModel } from "./types.js";
import { type ClientVersusBroker, clientVersusBroker } from "./versus-broker.js";

/** Where the broker's settings came from: a nanomq.conf (`--config`) or the profile options. */
export type BrokerSettingsSource = { kind: "config"; file: string } | { kind: "options" };

/** One library's row: its model beside its verdict against the broker. */
export interface ClientSurveyRow {
  model: ClientModel;
  verdict: ClientVersusBroker;
}

/** `mqdiag clients`: every chosen library against one broker, under one set of conditions. */
export interface ClientsSurvey {
  conditions: ClientConditions;
  broker: KeepaliveParams;
  brokerSource: BrokerSettingsSource;
  rows: ClientSurveyRow[];
}

export function surveyClients(
  models: readonly ClientModel[],
  conditions: ClientConditions,
  broker: KeepaliveParams,
  brokerSource: BrokerSettingsSource,
): ClientsSurvey {
  return {
    conditions,
    broker,
    brokerSource,
    rows: models.map((model) => ({ model, verdict: clientVersusBroker(model, conditions, broker) })),
  };
}

/** A finding: some library's idle connection ends (kicked, gives up, or may be, depending on phase). */
export function surveyEnds(survey: ClientsSurvey): boolean {
  return survey.rows.some((r) => r.verdict.firstToAct !== "nobody");
}
