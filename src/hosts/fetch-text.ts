import http from 'node:http';
import https from 'node:https';
import { describeFetchError, FetchError } from './fetch-errors.js';

/** An exporter's body is tens of kilobytes; a body past this is endless or hostile, and is cut. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** Prometheus and exporters never redirect more than once or twice; more is a loop. */
export const MAX_REDIRECTS = 5;

export interface FetchOptions {
  /** Ends the request, wherever it is: the poller's timeout. */
  signal: AbortSignal;
  /** The host as the user named it, for the error sentences. */
  host: string;
  accept: string;
  maxBytes?: number;
  agents?: { http: http.Agent; https: https.Agent };
  /** For the sentence when the signal is the timeout's. */
  timeoutMs: number;
}

export interface FetchedText {
  status: number;
  body: string;
}

/** One request, no redirect followed: the status and the location, or the whole body. */
function requestOnce(
  url: URL,
  options: FetchOptions,
  onConnected: () => void,
): Promise<FetchedText | { redirect: string }> {
  const maxBytes = options.maxBytes ?? MAX_BODY_BYTES;
  const secure = url.protocol === 'https:';
  const get = secure ? https.get : http.get;
  const agent = secure ? options.agents?.https : options.agents?.http;
  return new Promise((resolve, reject) => {
    const request = get(url, { agent, headers: { accept: options.accept }, signal: options.signal });
    request.once('socket', (socket) => {
      // A kept-alive socket is connected already; a new one says so when it is.
      if (!socket.connecting) onConnected();
      else socket.once(secure ? 'secureConnect' : 'connect', onConnected);
    });
    // `on`, not `once`: a second error with no listener would end paratop; reject is idempotent.
    request.on('error', reject);
    request.once('response', (response) => {
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (status >= 300 && status < 400 && location !== undefined) {
        response.resume();
        resolve({ redirect: location });
        return;
      }
      const chunks: Buffer[] = [];
      let bytes = 0;
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > maxBytes) {
          // Rejected before the socket is destroyed: destroying it reports an abort of its own.
          reject(
            new FetchError(
              'too-big',
              `${options.host} sent more than ${maxBytes / 1024 / 1024} MB; paratop stopped reading there.`,
            ),
          );
          response.destroy();
          request.destroy();
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', reject);
      response.once('aborted', () => reject(new Error('aborted')));
      response.once('end', () => {
        if (bytes <= maxBytes) resolve({ status, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
  });
}

/**
 * GET a URL with node's own HTTP client: redirects followed up to MAX_REDIRECTS, the body cut at
 * MAX_BODY_BYTES. Every failure is a FetchError whose message is a plain sentence naming the host.
 */
export async function fetchText(url: URL, options: FetchOptions): Promise<FetchedText> {
  let connected = false;
  let current = url;
  try {
    for (let redirects = 0; ; redirects += 1) {
      connected = false;
      const answer = await requestOnce(current, options, () => {
        connected = true;
      });
      if (!('redirect' in answer)) return answer;
      if (redirects >= MAX_REDIRECTS) {
        throw new FetchError(
          'redirects',
          `${options.host} redirected more than ${MAX_REDIRECTS} times (a redirect loop).`,
        );
      }
      const next = new URL(answer.redirect, current);
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        throw new FetchError('redirects', `${options.host} redirected to something that is not http or https.`);
      }
      current = next;
    }
  } catch (error) {
    if (error instanceof FetchError) throw error;
    throw describeFetchError(error, {
      host: options.host,
      connected,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
    });
  }
}
