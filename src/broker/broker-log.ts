import type { Clock } from "../core/clock.js";
import type { NanomqVersion, ProfileOptions } from "../core/profile.js";
import { KNOWN_LINES } from "../signatures/known-lines.js";
import { fillTemplate, type RenderedMessage, renderMessage } from "../signatures/render.js";
import type { Dialect, LineTemplate } from "../signatures/types.js";
import type { DialectEvent, LogDialect, LogEntry } from "./dialects/types.js";
import type { BrokerLogLine } from "./types.js";

/** Lines kept for logLines(); the oldest half is dropped past this (a fuzz campaign logs millions). */
const MAX_KEPT_LINES = 200_000;

/** Where the lines go: `emit` hands one to the listeners, `listened()` says whether there are any. */
export interface LogSink {
  /** Whether all() keeps the lines. */
  keep: boolean;
  listened(): boolean;
  emit(line: BrokerLogLine): void;
}

/**
 * Renders a dialect's entries through the catalogue into full lines, keeps them and hands them to a listener. A
 * line nobody would see (not kept, no listener) is not rendered at all.
 */
export class BrokerLog {
  private readonly lines: BrokerLogLine[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly startedAt: number,
    private readonly options: ProfileOptions,
    private readonly dialect: LogDialect,
    private readonly sink: LogSink,
  ) {}

  event(event: DialectEvent, clientId: string | null, tid: number): void {
    if (this.seen()) this.write(this.dialect.entries(event), clientId, tid);
  }

  /** Writes each entry this dialect and version prints (an entry the era does not print is skipped). */
  write(entries: readonly LogEntry[], clientId: string | null, tid: number): void {
    if (!this.seen()) return;
    for (const entry of entries) {
      const rendered = render(entry, this.dialect.name, this.options.nanomqVersion);
      if (!rendered) continue;
      const at = this.clock.now();
      const line: BrokerLogLine = {
        t: (at - this.startedAt) / 1000,
        at,
        level: rendered.template.level,
        signature: rendered.signature ?? null,
        clientId,
        line: this.dialect.format({
          level: rendered.template.level,
          message: rendered.text,
          file: rendered.template.file,
          func: rendered.template.func,
          wallMs: this.clock.wallTime(at),
          tid,
        }),
      };
      if (this.sink.keep) {
        if (this.lines.length >= MAX_KEPT_LINES) this.lines.splice(0, MAX_KEPT_LINES / 2);
        this.lines.push(line);
      }
      this.sink.emit(line);
    }
  }

  /** Whether a line written now would be kept or taken by a listener. */
  private seen(): boolean {
    return this.sink.keep || this.sink.listened();
  }

  all(): readonly BrokerLogLine[] {
    return this.lines;
  }
}

/** A catalogue entry through the catalogue (undefined where this dialect/era prints none); a known line by its id. */
function render(
  entry: LogEntry,
  dialect: Dialect,
  version: NanomqVersion,
): (Omit<RenderedMessage, "signature"> & { signature?: RenderedMessage["signature"] }) | undefined {
  if ("id" in entry) return renderMessage(entry.id, entry.key, dialect, version, entry.args);
  const template: LineTemplate | undefined = KNOWN_LINES.find(
    (l) => l.id === entry.known && l.template.dialect === dialect,
  )?.template;
  return template && { template, text: fillTemplate(template.text, entry.args ?? {}) };
}
