// bell.mjs: a real npm GraphQL websocket client subscribes to a freelancer's
// bell (notificationReceived) and invitation stream (invitationReceived) and
// waits for one invitation on both. Run by internal/server/npm_clients_test.go.
//
//   node bell.mjs <ws url> <token> <protocol> <job title> [timeout seconds]
//
// protocol is "graphql-transport-ws" (the graphql-ws library) or "graphql-ws"
// (the legacy subscriptions-transport-ws library).
//
// Output (stdout), one line each:
//   {"stream":"invitationReceived"|"notificationReceived","data":{...}}  every event
//   READY          once connected (the subscriptions follow at once)
//   OK <id>        when done (exit 0)
// Errors and the timeout go to stderr, with exit 1.
//
// Success: the invitation id is not known when the script starts, so the
// caller passes the (unique) title of the invited job. The invitation stream
// must deliver an invitation for a job with that title; its id is then the
// expected id, and the bell must deliver an INVITATION_RECEIVED notification
// whose subject is that Invitation. The two streams are independent, so
// either may arrive first: the bell's invitation ids are remembered.
// Subscriptions without `after` start live, so only new events arrive; the
// caller waits until both subscriptions are open on the server before it
// invites.

import { createClient } from 'graphql-ws';
import { SubscriptionClient } from 'subscriptions-transport-ws';
import WebSocket from 'ws';

const INVITATIONS = `subscription { invitationReceived { cursor invitation { id job { title } } } }`;
const NOTIFICATIONS = `subscription { notificationReceived { cursor unreadCount notification { kind title subject { __typename ... on Invitation { id } } } } }`;

const [url, token, protocol, jobTitle, timeoutArg] = process.argv.slice(2);
const timeoutSeconds = Number(timeoutArg ?? 20);

let invitationId = null; // the id of the invitation for jobTitle, once seen
const bellInvitations = new Set(); // subjects of INVITATION_RECEIVED on the bell
let connected = false;
let ready = false;
let exiting = false;
let timer = null;
let close = () => {}; // disposes of the client

// exit ends the process once what was written is flushed (writes to a pipe
// may be asynchronous), ignoring any later event or error.
function exit(code) {
  exiting = true;
  clearTimeout(timer);
  try {
    close();
  } catch {
    // exiting anyway
  }
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

function fail(message) {
  if (exiting) return;
  process.stderr.write(`bell.mjs (${protocol ?? '?'}): ${message}\n`);
  exit(1);
}

function print(line) {
  process.stdout.write(line + '\n');
}

// markReady prints READY once, when connected (the subscriptions are sent
// right after; the caller checks on the server that they are open).
function markReady() {
  if (ready || !connected) return;
  ready = true;
  print('READY');
}

function onConnected() {
  if (connected) return;
  connected = true;
  markReady();
}

function onEvent(stream, result) {
  if (exiting) return;
  print(JSON.stringify({ stream, data: result.data ?? null, errors: result.errors }));
  if (result.errors?.length) {
    fail(`${stream}: ${JSON.stringify(result.errors)}`);
    return;
  }
  if (stream === 'invitationReceived') {
    const inv = result.data?.invitationReceived?.invitation;
    if (inv?.job?.title === jobTitle) invitationId = inv.id;
  } else {
    const n = result.data?.notificationReceived?.notification;
    if (n?.kind === 'INVITATION_RECEIVED' && n.subject?.__typename === 'Invitation') {
      bellInvitations.add(n.subject.id);
    }
  }
  if (invitationId !== null && bellInvitations.has(invitationId)) {
    print(`OK ${invitationId}`);
    // Exit now: a client's close handshake or timers must not hold us.
    exit(0);
  }
}

function onStreamError(stream, err) {
  fail(`${stream}: ${describe(err)}`);
}

function onStreamComplete(stream) {
  fail(`${stream}: completed by the server before the invitation arrived`);
}

function describe(err) {
  if (err == null) return String(err);
  if (Array.isArray(err)) return err.map(describe).join('; ');
  if (err instanceof Error) return err.message;
  // A CloseEvent from the socket (graphql-ws reports these as errors).
  if (typeof err === 'object' && 'code' in err && 'reason' in err) return `connection closed: ${err.code} ${err.reason}`;
  // An ErrorEvent from the socket (its fields are getters JSON omits).
  if (typeof err === 'object' && typeof err.message === 'string') return err.message || `${err.type ?? 'error'} event`;
  return JSON.stringify(err);
}

function runGraphQLWS() {
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: true,
    on: {
      connected: onConnected,
      closed: (event) => {
        fail(describe(event));
      },
      error: (err) => fail(`connection error: ${describe(err)}`),
    },
  });
  close = () => client.dispose();
  for (const [stream, query] of [['invitationReceived', INVITATIONS], ['notificationReceived', NOTIFICATIONS]]) {
    client.subscribe({ query }, {
      next: (result) => onEvent(stream, result),
      error: (err) => onStreamError(stream, err),
      complete: () => onStreamComplete(stream),
    });
  }
}

function runSubscriptionsTransportWS() {
  // The library reports a close without its code and reason: record them.
  let lastClose = null;
  class RecordingWebSocket extends WebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('close', (event) => { lastClose = event; });
    }
  }
  const client = new SubscriptionClient(url, {
    connectionParams: { Authorization: `Bearer ${token}` },
    reconnect: false,
    lazy: false,
    connectionCallback: (errors) => {
      if (errors) fail(`connection refused: ${describe(errors)}`);
    },
  }, RecordingWebSocket, 'graphql-ws');
  client.onConnected(onConnected);
  client.onDisconnected(() => {
    fail(lastClose ? describe(lastClose) : 'connection closed');
  });
  client.onError((err) => fail(`connection error: ${describe(err)}`));
  close = () => client.close(true, true);
  for (const [stream, query] of [['invitationReceived', INVITATIONS], ['notificationReceived', NOTIFICATIONS]]) {
    client.request({ query }).subscribe({
      next: (result) => onEvent(stream, result),
      error: (err) => onStreamError(stream, err),
      complete: () => onStreamComplete(stream),
    });
  }
}

function main() {
  if (!url || !token || !protocol || !jobTitle) {
    fail('usage: node bell.mjs <ws url> <token> <graphql-transport-ws|graphql-ws> <job title> [timeout seconds]');
    return;
  }
  if (!(timeoutSeconds > 0)) {
    fail(`bad timeout ${JSON.stringify(timeoutArg)}: want a number of seconds`);
    return;
  }
  timer = setTimeout(() => {
    fail(`timeout after ${timeoutSeconds}s: invitation for ${JSON.stringify(jobTitle)} ` +
      `${invitationId ? `seen as ${invitationId} on invitationReceived` : 'not seen on invitationReceived'}, ` +
      `bell invitations seen: ${JSON.stringify([...bellInvitations])}`);
  }, timeoutSeconds * 1000);
  switch (protocol) {
    case 'graphql-transport-ws':
      runGraphQLWS();
      break;
    case 'graphql-ws':
      runSubscriptionsTransportWS();
      break;
    default:
      fail(`unknown protocol ${JSON.stringify(protocol)}: want graphql-transport-ws or graphql-ws`);
  }
}

main();
