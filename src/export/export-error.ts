/** A wrong exporter setting (address, web-config file): the message names the value and what is accepted. */
export class ExportConfigError extends Error {
  readonly code = 'PARATOP_EXPORT_CONFIG';
}

/** The exporter could not listen where it was told (the port is taken, the address is not this machine's). */
export class ExportListenError extends Error {
  readonly code = 'PARATOP_EXPORT_LISTEN';
}
