/** Why a request to a host failed, as a sentence a person can act on. */
export type FetchFailure = 'too-big' | 'redirects' | 'timeout' | 'slow' | 'network' | 'tls' | 'http' | 'stopped';

export class FetchError extends Error {
  readonly code = 'PARATOP_HOST_FETCH';
  constructor(
    readonly failure: FetchFailure,
    message: string,
  ) {
    super(message);
  }
}

const NETWORK: Record<string, string> = {
  ECONNREFUSED: 'refused the connection (nothing listens on that port)',
  ECONNRESET: 'closed the connection before answering',
  EPIPE: 'closed the connection before answering',
  ENOTFOUND: 'is not a name the resolver knows',
  EAI_AGAIN: 'could not be looked up (the resolver did not answer)',
  EHOSTUNREACH: 'is unreachable (no route to it)',
  ENETUNREACH: 'is unreachable (no route to its network)',
  ETIMEDOUT: 'did not answer the connection in time',
  EADDRNOTAVAIL: 'is not an address this machine can reach',
};

/** The TLS codes node gives (from OpenSSL) and what they mean for the person running paratop. */
const TLS: Record<string, string> = {
  CERT_HAS_EXPIRED: 'its certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its certificate chain ends in a self-signed certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate is signed by an authority this machine does not trust',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its certificate is signed by an authority this machine does not trust',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate is for another name',
  CERT_NOT_YET_VALID: 'its certificate is not valid yet',
  EPROTO: 'the TLS handshake failed (is it plain http?)',
  ERR_SSL_WRONG_VERSION_NUMBER: 'the TLS handshake failed (is it plain http?)',
};

interface FailureContext {
  host: string;
  /** Whether the connection was made before the failure: then a timeout means slow, not gone. */
  connected: boolean;
  signal: AbortSignal;
  timeoutMs: number;
}

const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(2))} s`;

/** Any error from node's HTTP client (or the abort of its signal) as a FetchError with a plain sentence. */
export function describeFetchError(error: unknown, context: FailureContext): FetchError {
  const { host } = context;
  if (context.signal.aborted) {
    const reason: unknown = context.signal.reason;
    if (reason instanceof Error && reason.name === 'TimeoutError') {
      return context.connected
        ? new FetchError(
            'slow',
            `${host} is slow: connected, but no whole answer within ${seconds(context.timeoutMs)}.`,
          )
        : new FetchError('timeout', `${host} did not accept a connection within ${seconds(context.timeoutMs)}.`);
    }
    return new FetchError('stopped', `the request to ${host} was stopped.`);
  }
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  if (code in NETWORK) return new FetchError('network', `${host} ${NETWORK[code]}.`);
  if (code in TLS || /CERT|SSL|TLS/.test(code)) {
    return new FetchError('tls', `TLS with ${host} failed: ${TLS[code] ?? `OpenSSL says ${code}`}.`);
  }
  if (code.startsWith('HPE_')) return new FetchError('http', `${host} answered with something that is not HTTP.`);
  if (code === 'ERR_INVALID_URL') return new FetchError('http', `${host} redirected to an address that is not a URL.`);
  return new FetchError('network', `the request to ${host} failed${code ? ` (${code})` : ''}.`);
}
