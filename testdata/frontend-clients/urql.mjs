// urql.mjs: @urql/core with the graphcache normalized cache, as a single-page
// app's bell uses it, against a running hiregraph. Run by
// internal/server/frontend_clients_test.go.
//
//   node urql.mjs <http url of /query> <freelancer token>
//
// It watches the viewer's unread count, loads the bell's first page,
// subscribes from its newest cursor (graphql-ws), asks the caller to invite
// ("INVITE <title>"), and checks that the event and then markNotificationsRead
// update the WATCHED count through the cache, with no refetch. Prints "OK"
// and exits 0, or "FAIL <why>" and exits 1.

import { Client, fetchExchange, gql, subscriptionExchange } from '@urql/core';
import { cacheExchange } from '@urql/exchange-graphcache';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, token] = process.argv.slice(2);
const TITLE = 'urql invitation';

const fail = (why) => {
  process.stdout.write(`FAIL ${why}\n`, () => process.exit(1));
};
setTimeout(() => fail('timeout'), 60_000).unref();

const sent = [];
const ws = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { Authorization: `Bearer ${token}` } });
const client = new Client({
  url,
  // Queries go as GET (urql's default within the URL length limit), mutations as POST.
  fetch: (input, init) => {
    sent.push(init?.body ? JSON.parse(init.body).operationName : new URL(String(input)).searchParams.get('operationName'));
    return fetch(input, init);
  },
  fetchOptions: () => ({ headers: { Authorization: `Bearer ${token}` } }),
  exchanges: [
    cacheExchange({
      // Objects without an id of their own live inside their parent.
      keys: {
        PageInfo: () => null,
        NotificationConnection: () => null,
        NotificationEdge: () => null,
        NotificationEvent: () => null,
        MarkNotificationsReadPayload: () => null,
      },
    }),
    fetchExchange,
    subscriptionExchange({
      forwardSubscription: (request) => ({
        subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
      }),
    }),
  ],
});

const COUNTERS = gql`query Counters { viewer { id unreadNotificationCount } }`;
const BELL = gql`query Bell { notifications(first: 20) { edges { cursor node { id kind title } } pageInfo { hasNextPage endCursor } } }`;
const LIVE = gql`subscription Live($after: String) {
  notificationReceived(after: $after) {
    cursor
    notification { id kind subject { ... on Invitation { id job { id title } } } }
    viewer { id unreadNotificationCount }
  }
}`;
const MARK = gql`mutation MarkAll { markNotificationsRead(input: {all: true}) { unreadCount viewer { id unreadNotificationCount } } }`;

let counters = null;
client.query(COUNTERS, {}).subscribe((r) => {
  if (r.error) fail(`watch: ${r.error.message}`);
  if (r.data?.viewer) counters = r.data.viewer;
});

async function until(what, pred) {
  for (let i = 0; i < 2000; i++) {
    if (pred()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`never: ${what} (counters ${JSON.stringify(counters)})`);
}

async function main() {
  await until('the first counters', () => counters !== null);
  const start = { ...counters };
  const bell = await client.query(BELL, {}).toPromise();
  if (bell.error) throw bell.error;
  const newest = bell.data.notifications.edges[0].cursor;

  let event = null;
  client.subscription(LIVE, { after: newest }).subscribe((r) => {
    if (r.error) fail(`subscription: ${r.error.message}`);
    if (r.data) event = r.data.notificationReceived;
  });
  process.stdout.write(`INVITE ${TITLE}\n`);
  await until('the invitation on the bell', () => event !== null);
  if (event.notification.subject?.job?.title !== TITLE) throw new Error(`event: ${JSON.stringify(event)}`);
  await until('the count to rise in the watched viewer', () => counters.unreadNotificationCount === start.unreadNotificationCount + 1);

  const res = await client.mutation(MARK, {}).toPromise();
  if (res.error) throw res.error;
  await until('the count to drop to 0 in the watched viewer', () => counters.unreadNotificationCount === 0);

  const fetched = sent.filter((n) => n === 'Counters').length;
  if (fetched !== 1) throw new Error(`the counters were fetched ${fetched} times: ${JSON.stringify(sent)}`);
  process.stdout.write(`OK ${JSON.stringify({ start, end: counters, sent })}\n`, () => process.exit(0));
}

main().catch((e) => fail(e.stack ?? String(e)));
