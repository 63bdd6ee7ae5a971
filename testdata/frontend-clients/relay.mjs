// relay.mjs: Relay against a running hiregraph. Run by
// internal/server/frontend_clients_test.go.
//
//   node relay.mjs <http url of /query> <freelancer token> <work dir>
//
// 1. Reads the served schema by introspection and prints it as SDL.
// 2. Writes an app's sources into the work dir: a fragment with
//    @refetchable on EVERY type implementing Node (as the schema says), and
//    a query with @connection on the invitations list and a @refetchable
//    paginated fragment on the bell.
// 3. Compiles them with relay-compiler (which checks, among others, that
//    node(id:) and the connections have the shape Relay needs).
// 4. Runs the compiled query, the bell's next page (merged by the
//    connection handler) and a node refetch query with relay-runtime, and fails on any warning (such as the normalizer's
//    "conflicting types"), then checks the Viewer and User records are apart.
// Prints "OK" and exits 0, or "FAIL <why>" and exits 1.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildClientSchema, getIntrospectionQuery, printSchema } from 'graphql';

const [url, token, dir] = process.argv.slice(2);
const here = path.dirname(fileURLToPath(import.meta.url));

const fail = (why) => {
  process.stdout.write(`FAIL ${why}\n`, () => process.exit(1));
};
setTimeout(() => fail('timeout'), 100_000).unref();

// Relay reports problems through console.error / console.warn (in
// development mode): any of them fails the run.
const warnings = [];
for (const level of ['error', 'warn']) {
  console[level] = (...args) => warnings.push(args.map(String).join(' '));
}

async function post(query, variables, operationName) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables, operationName }),
  });
  return res.json();
}

async function main() {
  const intro = await post(getIntrospectionQuery());
  if (intro.errors) throw new Error(JSON.stringify(intro.errors));
  const schema = buildClientSchema(intro.data);
  fs.writeFileSync(path.join(dir, 'schema.graphql'), printSchema(schema));
  const nodeTypes = schema.getPossibleTypes(schema.getType('Node')).map((t) => t.name);

  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  fs.mkdirSync(path.join(dir, '__generated__'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'src', 'NodeTypes.js'), nodeTypes.map((t) =>
    `graphql\`fragment NodeTypes_${t.charAt(0).toLowerCase() + t.slice(1)} on ${t} @refetchable(queryName: "NodeTypes${t}RefetchQuery") { id __typename }\`;\n`).join(''));
  fs.writeFileSync(path.join(dir, 'src', 'App.js'), `
graphql\`query AppQuery {
  viewer { id name unreadNotificationCount connectsBalance user { id name } }
  invitations(first: 5) @connection(key: "App_invitations") {
    edges { node { id status job { id title client { id name } } freelancer { id name } } }
  }
  ...App_bell
}\`;
graphql\`fragment App_bell on Query
  @refetchable(queryName: "AppBellPaginationQuery")
  @argumentDefinitions(first: {type: "Int", defaultValue: 2}, after: {type: "String"}) {
  notifications(first: $first, after: $after) @connection(key: "App_bell_notifications") {
    edges { node { id kind title read } }
  }
}\`;
`);
  fs.writeFileSync(path.join(dir, 'relay.config.json'), JSON.stringify({
    src: './src',
    schema: './schema.graphql',
    language: 'javascript',
    artifactDirectory: './__generated__',
    eagerEsModules: false,
    customScalarTypes: { Time: 'string' },
  }, null, 2));
  // The artifacts are CommonJS modules that may require relay-runtime.
  fs.symlinkSync(path.join(here, 'node_modules'), path.join(dir, 'node_modules'), 'dir');

  try {
    execFileSync(process.execPath, [path.join(here, 'node_modules', 'relay-compiler', 'cli.js')], { cwd: dir, stdio: 'pipe' });
  } catch (e) {
    throw new Error(`relay-compiler: ${e.stdout}\n${e.stderr}`);
  }
  const generated = fs.readdirSync(path.join(dir, '__generated__'));
  for (const t of nodeTypes) {
    if (!generated.includes(`NodeTypes${t}RefetchQuery.graphql.js`)) throw new Error(`no refetch query for ${t}: ${generated}`);
  }

  const require = createRequire(path.join(dir, 'app.js'));
  const { ConnectionHandler, Environment, Network, RecordSource, Store, commitLocalUpdate, fetchQuery } = require('relay-runtime');
  const environment = new Environment({
    network: Network.create((params, variables) => post(params.text, variables, params.name)),
    store: new Store(new RecordSource()),
  });
  const app = await fetchQuery(environment, require('./__generated__/AppQuery.graphql.js'), {}).toPromise();
  // The bell's second page through the pagination query: the connection
  // handler merges it after the first (the query's data is masked: the
  // cursor is read from the store, as usePaginationFragment would).
  const bellEdges = () => {
    let out = null;
    commitLocalUpdate(environment, (store) => {
      const conn = ConnectionHandler.getConnection(store.getRoot(), 'App_bell_notifications');
      out = { edges: conn.getLinkedRecords('edges').map((e) => e.getLinkedRecord('node').getValue('id')), end: conn.getLinkedRecord('pageInfo').getValue('endCursor') };
    });
    return out;
  };
  const first = bellEdges();
  await fetchQuery(environment, require('./__generated__/AppBellPaginationQuery.graphql.js'), { first: 2, after: first.end }).toPromise();
  const merged = bellEdges();
  const invitation = app.invitations.edges[0].node;
  const refetched = await fetchQuery(environment, require('./__generated__/NodeTypesInvitationRefetchQuery.graphql.js'), { id: invitation.id }).toPromise();
  if (refetched.node?.__id !== invitation.id) throw new Error(`node refetch: ${JSON.stringify(refetched)}`);
  if (first.edges.length !== 2 || merged.edges.length !== 3 || new Set(merged.edges).size !== 3) {
    throw new Error(`bell pages: ${JSON.stringify({ first, merged })}`);
  }

  const source = environment.getStore().getSource();
  const viewer = source.get(app.viewer.id);
  const user = source.get(app.viewer.user.id);
  if (viewer?.__typename !== 'Viewer' || user?.__typename !== 'User' || app.viewer.id === app.viewer.user.id) {
    throw new Error(`viewer and user records: ${JSON.stringify({ viewer, user })}`);
  }
  if (warnings.length > 0) throw new Error(`warnings: ${JSON.stringify(warnings)}`);
  process.stdout.write(`OK ${JSON.stringify({ nodeTypes, artifacts: generated.length, records: source.size() })}\n`, () => process.exit(0));
}

main().catch((e) => fail(`${e.stack ?? e}${warnings.length ? `\nwarnings: ${JSON.stringify(warnings)}` : ''}`));
