/** A finding about a NanoMQ config: coded data; src/report/config-messages.ts puts it into words. */
export type ConfigFindingCode =
  | "keepalive-backoff-trap"
  | "multiplier-disables-keepalive"
  | "compliant-client-kicked"
  | "kick-before-spec-deadline"
  | "multiplier-default"
  | "value-invalid"
  | "value-unresolved"
  | "include-not-read"
  | "key-ignored"
  | "syntax";

export type Severity = "error" | "warning" | "info";

export interface ConfigFinding {
  code: ConfigFindingCode;
  severity: Severity;
  specRef?: string;
  args: Record<string, string | number | null>;
}

/** A multiplier at or above this reads like thousandths (1250 meant as 1.25): clients are practically never kicked. */
export const MULTIPLIER_NEVER_KICKS = 100;
