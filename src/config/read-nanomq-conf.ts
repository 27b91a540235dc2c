import { UsageError } from "../core/errors.js";
import { type InterpretOptions, interpretNanomqConf, type NanomqConf } from "./nanomq-conf.js";
import { readConfText } from "./read-conf-text.js";

/**
 * Reads a NanoMQ config file. Throws UsageError (exit 2, one line) when it is missing, unreadable, binary, or
 * neither of NanoMQ's readers takes any setting from it.
 */
export async function readNanomqConf(path: string, options: InterpretOptions = {}): Promise<NanomqConf> {
  return nanomqConfOf(path, await readConfText(path), options);
}

/** The NanoMQ reading of a file's text, refused (UsageError) when neither of NanoMQ's readers takes anything. */
export function nanomqConfOf(path: string, text: string, options: InterpretOptions = {}): NanomqConf {
  const conf = interpretNanomqConf(text, options);
  if (conf.format === "neither" || conf.settings === 0) {
    throw new UsageError(
      options.format === "flat"
        ? `config: ${path}: not a flat NanoMQ config: no key=value line that NanoMQ's --old_conf reader takes`
        : `config: ${path}: neither NanoMQ format: no HOCON setting or block, and no key=value line of the old flat format; not an emqx.conf or mosquitto.conf either`,
    );
  }
  return conf;
}
