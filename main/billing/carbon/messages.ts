// Every sentence the Carbon adapter says to an operator, in one place (a later change gives each a
// code with Russian and English renderings). Nothing here may include a password or a psw.

const shorten = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max)}…` : text);

export const say = {
  // ---- the four kinds of outage, and Carbon's own errors ----
  refusedConnection: (where: string) => `Carbon cannot be reached: ${where} refused the connection: is the address right and the API (port 8082) running?`,
  noDns: (where: string) => `Carbon cannot be reached: ${where}: the host name does not resolve`,
  timeout: (where: string, ms: number) => `Carbon cannot be reached: ${where} did not answer within ${ms} ms`,
  reset: (where: string) => `Carbon cannot be reached: ${where} closed the connection before answering`,
  noRoute: (where: string) => `Carbon cannot be reached: ${where} cannot be reached from this host (no route)`,
  transport: (where: string, message: string) => `Carbon cannot be reached: ${where} failed: ${message}`,
  busy: (calls: number, ms: number) => `Carbon is busy: ${calls} calls already in flight for ${ms} ms`,
  refusedHost: (url: string, localAddress: string | undefined) =>
    `Carbon at ${url} refused this host (HTTP 403): add this host's address${localAddress ? ` (${localAddress})` : ''} to Carbon's API allow-list in its network settings`,
  httpStatus: (where: string, status: number, text: string) => `Carbon answered garbage: ${where} answered HTTP ${status}${text ? ` ${text}` : ''}`,
  notJson: (where: string, body: string) => `Carbon answered garbage: ${where} answered something that is not JSON: ${JSON.stringify(shorten(body, 60))}`,
  notObject: (where: string) => `Carbon answered garbage: ${where} answered JSON that is not an object`,
  noResult: (model: string) => `Carbon answered garbage: its answer to a ${model} call has neither "result" nor "error"`,
  notList: (model: string) => `Carbon answered garbage: it answered a ${model} list call with something that is not a list`,
  badRow: (model: string) => `Carbon answered garbage: it answered a ${model} call with a row that has no pk or fields`,
  answerError: (model: string, text: string) => `Carbon answered an error to a ${model} call: ${shorten(text, 300)}`,
  fieldError: (model: string, text: string) =>
    `Carbon does not know a field we asked ${model} for (the field map does not fit this Carbon; run billing-bridge check): ${shorten(text, 300)}`,
  contextNotDefined: (context: string) =>
    `Carbon's system_api has no context "${context}" ("Context=${context} is not defined"): add ${context} to network['api.context'] in /app/asr_billing/cfg/config on the billing server, e.g. network['api.context']='web cabinet collector', then restart the billing (/app/asr_billing/service restart)`,
  pswRefused: (text: string, pswSet: boolean) =>
    `Carbon's system_api refused the password check: ${shorten(text, 200)}` +
    (pswSet ? '; check the billing-password secret against network[\'api.<context>.psw\'] in Carbon\'s config' : '; this context wants a psw: set BILLING_BRIDGE_BILLING_PASSWORD (the secret "billing-password") to network[\'api.<context>.psw\'] of Carbon\'s config'),

  // ---- the field map ----
  missingRequired: (model: string, path: string) => `Carbon has no field ${model}.${path}; run billing-bridge check --fix`,
  missingOptional: (model: string, path: string, setting: string) =>
    `Carbon has no field ${model}.${path} (${setting}): it is left out of the answers until the map is fixed (billing-bridge check --fix)`,
  mapUnchecked: (reason: string) => `the Carbon field map could not be checked against Carbon's own field list yet: ${reason}`,
  groupsNeed: (what: string) => `billing.carbon.accounts is "group", but ${what}; groups are served per subscriber until it is fixed`,
  requiredFieldMissing: (problem: string) => `this request needs a field this Carbon does not have: ${problem}`,
} as const;
