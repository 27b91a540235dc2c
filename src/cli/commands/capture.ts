import type { Command } from "commander";
import type { RawProfileOptions } from "../../core/options.js";
import { withOutputOptions } from "../output-options.js";
import { withProfileOptions } from "../profile-options.js";

const EXAMPLES = `
Examples:
  tcpdump -i any -s 2048 -B 16384 -w kicks.pcap 'tcp port 1883'   capture on the broker's host, as root
  mqdiag capture kicks.pcap                                per-connection verdicts against NanoMQ's defaults
  mqdiag capture kicks.pcap.gz --config /etc/nanomq.conf   the broker's own retry_interval and keepalive_multiplier
  mqdiag capture wireshark.pcapng --profile mosquitto --port 1883,11883
  mqdiag capture - --format json < kicks.pcap              stdin; JSON schema mqdiag.capture/v1
  mqdiag capture kicks.pcap --broker-log nanomq.log        the broker's log lines joined to the connections

Reads pcap and pcapng (gzip too). MQTT is decoded on --port (default 1883) and on any port whose connection starts
with a CONNECT; 8883 and TLS handshakes are packet timing only. Reference: docs/commands/capture.md.
Endings: kicked, client-disconnect, client-closed, client-reset, malformed, takeover, open-at-end, unknown.
Causes: client-late, network, pingresp-missing, malformed, duplicate-client-id, none, undecidable.
Exit status: 0 no finding · 1 a connection was kicked, closed as malformed or taken over, is half-open (open past
the model's kick), or a cause names a culprit (client-late, network, pingresp-missing) · 2 unreadable, unknown or
truncated file, or a bad option.`;

export interface RawCaptureOptions extends RawProfileOptions {
  port: string[];
  config?: string;
  brokerLog?: string;
  format?: string;
  output?: string;
  color?: boolean;
  verbose?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `mqdiag capture <file>` (issue 15): per-connection keepalive verdicts from a packet capture. */
export function registerCapture(program: Command): void {
  const cmd = program
    .command("capture")
    .description("per-connection keepalive verdicts from a packet capture (pcap, pcapng; - = stdin)")
    .argument("<file>", "a capture file (pcap or pcapng, plain or gzip), or - for stdin")
    .addOption(
      program
        .createOption("--port <ports>", "ports read as MQTT, comma list or repeated")
        .argParser(collect)
        .default([], "1883"),
    )
    .option("--config <nanomq.conf>", "take Q and M (the nanomq model) from this NanoMQ config file");
  withProfileOptions(cmd)
    .option("--broker-log <file>", "the broker's log over the same time: its lines joined to the connections")
    .addHelpText("after", EXAMPLES);
  withOutputOptions(cmd).action(async (file: string, raw: RawCaptureOptions) => {
    const { runCapture } = await import("./capture-run.js");
    const explicitModel = ["profile", "retryInterval", "keepaliveMultiplier"].filter(
      (o) => cmd.getOptionValueSource(o) === "cli",
    );
    process.exitCode = await runCapture(file, raw, explicitModel);
  });
}
