import { errorMessage, UnreachableError } from "../core/errors.js";
import { RawClient } from "./raw-client.js";
import { type ClientContext, type ClientRole, newRecord } from "./types.js";

export const DEFAULT_ANSWER_TIMEOUT_MS = 10_000;

/** Opens a raw connection for `role` (optionally under another client id) and, unless told not to, CONNECTs. */
export async function openRaw(
  ctx: ClientContext,
  role: ClientRole,
  options: { clientId?: string; connect?: boolean } = {},
): Promise<RawClient> {
  const clientId = options.clientId ?? ctx.clientId;
  const record = newRecord(clientId, role, ctx.keepaliveS, ctx.control ?? false);
  const client = new RawClient(ctx.clock, ctx.target, record, ctx.protocolVersion ?? 4);
  try {
    await client.open();
  } catch (err) {
    throw new UnreachableError(`${ctx.target.host}:${ctx.target.port}: ${errorMessage(err)}`);
  }
  if (options.connect === false) {
    record.connectedAt = ctx.clock.now();
    return client;
  }
  const ok = await client.connect(
    ctx.keepaliveS,
    ctx.answerTimeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS,
    ctx.clean ?? true,
  );
  if (!ok) {
    client.destroy();
    throw new UnreachableError(`${ctx.target.host}:${ctx.target.port}: no CONNACK for ${clientId}`);
  }
  return client;
}
