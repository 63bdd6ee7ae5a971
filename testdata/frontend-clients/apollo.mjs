// apollo.mjs: Apollo Client 4 as a single-page app uses it, against a
// running hiregraph. Run by internal/server/frontend_clients_test.go.
//
//   node apollo.mjs <http url of /query> <freelancer token>
//
// A split link (HTTP for queries and mutations, graphql-ws for
// subscriptions) and an InMemoryCache with relayStylePagination. It watches
// the viewer's counters, pages the bell, subscribes to it from the first
// page's newest cursor, asks the caller to invite (a line "INVITE <title>";
// the caller invites once the subscription is open), and then checks that
// the bell's event, markNotificationsRead and acceptInvitation each leave the
// WATCHED viewer counters current with no refetch. Prints "OK" and exits 0,
// or "FAIL <why>" and exits 1.

import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { getMainDefinition, relayStylePagination } from '@apollo/client/utilities';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, token] = process.argv.slice(2);
const TITLE = 'Apollo invitation';

const fail = (why) => {
  process.stdout.write(`FAIL ${why}\n`, () => process.exit(1));
};
setTimeout(() => fail('timeout'), 60_000).unref();

// Every HTTP operation, by name: the viewer's counters must be fetched once.
const sent = [];
const httpLink = new HttpLink({
  uri: url,
  headers: { Authorization: `Bearer ${token}` },
  fetch: (input, init) => {
    sent.push(JSON.parse(init.body).operationName);
    return fetch(input, init);
  },
});
const ws = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { Authorization: `Bearer ${token}` } });
const link = ApolloLink.split(
  ({ query }) => {
    const def = getMainDefinition(query);
    return def.kind === 'OperationDefinition' && def.operation === 'subscription';
  },
  new GraphQLWsLink(ws),
  httpLink,
);
const client = new ApolloClient({
  link,
  cache: new InMemoryCache({
    typePolicies: {
      Query: {
        fields: {
          notifications: relayStylePagination(['unreadOnly']),
          invitations: relayStylePagination(['filter']),
        },
      },
    },
  }),
});

const COUNTERS = gql`query Counters { viewer { id unreadNotificationCount connectsBalance } }`;
const BELL = gql`query Bell($first: Int, $after: String) {
  notifications(first: $first, after: $after) { edges { cursor node { id kind title } } pageInfo { hasNextPage endCursor } }
}`;
const LIVE = gql`subscription Live($after: String) {
  notificationReceived(after: $after) {
    cursor
    notification { id kind subject { ... on Invitation { id job { title } } } }
    viewer { id unreadNotificationCount }
  }
}`;
const MARK = gql`mutation MarkAll { markNotificationsRead(input: {all: true}) { unreadCount viewer { id unreadNotificationCount } } }`;
const ACCEPT = gql`mutation Accept($in: AcceptInvitationInput!) {
  acceptInvitation(input: $in) { invitation { id status } proposal { id status } viewer { id connectsBalance } }
}`;

// The watched counters, as the cache last broadcast them.
let counters = null;
client.watchQuery({ query: COUNTERS }).subscribe({
  next: ({ data }) => { if (data?.viewer) counters = data.viewer; },
  error: (e) => fail(`watch: ${e.message}`),
});

// until resolves once pred holds (checked on every turn of the event loop).
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

  // Paging the bell two at a time: relayStylePagination merges the pages.
  const bell = client.watchQuery({ query: BELL, variables: { first: 2 } });
  let page = null;
  bell.subscribe({ next: ({ data }) => { if (data?.notifications) page = data.notifications; } });
  await until('the first page', () => page !== null);
  const newest = page.edges[0].cursor;
  while (page.pageInfo.hasNextPage) {
    const before = page.edges.length;
    await bell.fetchMore({ variables: { after: page.pageInfo.endCursor } });
    await until('the next page merged', () => page.edges.length > before);
  }
  const ids = page.edges.map((e) => e.node.id);
  if (ids.length !== 3 || new Set(ids).size !== 3) throw new Error(`paged bell: ${JSON.stringify(ids)}`);

  // The bell, live from the first page's newest edge.
  let event = null;
  client.subscribe({ query: LIVE, variables: { after: newest } }).subscribe({
    next: ({ data }) => { event = data.notificationReceived; },
    error: (e) => fail(`subscription: ${e.message ?? JSON.stringify(e)}`),
  });
  process.stdout.write(`INVITE ${TITLE}\n`);
  await until('the invitation on the bell', () => event !== null);
  if (event.notification.subject?.job?.title !== TITLE) throw new Error(`event: ${JSON.stringify(event)}`);
  await until('the count to rise in the watched viewer', () => counters.unreadNotificationCount === start.unreadNotificationCount + 1);

  await client.mutate({ mutation: MARK });
  await until('the count to drop to 0 in the watched viewer', () => counters.unreadNotificationCount === 0);

  const res = await client.mutate({ mutation: ACCEPT, variables: { in: { invitationId: event.notification.subject.id, coverLetter: 'Happy to help with this.' } } });
  if (res.data.acceptInvitation.invitation.status !== 'ACCEPTED') throw new Error(`accept: ${JSON.stringify(res.data)}`);
  await until('the balance to drop in the watched viewer', () => counters.connectsBalance === start.connectsBalance - 2);

  const fetched = sent.filter((n) => n === 'Counters').length;
  if (fetched !== 1) throw new Error(`the counters were fetched ${fetched} times: ${JSON.stringify(sent)}`);
  process.stdout.write(`OK ${JSON.stringify({ start, end: counters, sent })}\n`, () => process.exit(0));
}

main().catch((e) => fail(e.stack ?? String(e)));
