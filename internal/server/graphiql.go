package server

import (
	"embed"
	"encoding/json"
	"html/template"
	"io/fs"
	"net/http"
	"sync/atomic"
)

// The GraphiQL build is vendored from npm and embedded (see graphiql/README.md):
// the page works with no internet access.
//
//go:embed graphiql/*.js graphiql/*.css graphiql/licenses
var graphiqlFiles embed.FS

func graphiqlAssets() http.Handler {
	sub, err := fs.Sub(graphiqlFiles, "graphiql")
	if err != nil {
		panic(err) // the embedded folder always exists
	}
	files := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		files.ServeHTTP(w, r)
	})
}

// graphiqlHandler renders GraphiQL. Queries and mutations go over HTTP;
// subscriptions over a graphql-transport-ws websocket whose connection_init
// carries the Authorization header from GraphiQL's headers editor. Its
// headers function fills the editor (in development: a demo user's token).
type graphiqlHandler struct {
	headers atomic.Pointer[func() map[string]string]
}

func (g *graphiqlHandler) setHeaders(f func() map[string]string) { g.headers.Store(&f) }

func (g *graphiqlHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	headers := "{}"
	if f := g.headers.Load(); f != nil && *f != nil {
		if h := (*f)(); len(h) > 0 {
			b, _ := json.MarshalIndent(h, "", "  ")
			headers = string(b)
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = graphiqlTemplate.Execute(w, map[string]any{"Headers": headers})
}

var graphiqlTemplate = template.Must(template.New("graphiql").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>hiregraph · GraphiQL</title>
  <style>body { margin: 0; } #graphiql { height: 100vh; }</style>
  <link rel="stylesheet" href="/graphiql/graphiql.min.css">
  <script src="/graphiql/react.production.min.js"></script>
  <script src="/graphiql/react-dom.production.min.js"></script>
  <script src="/graphiql/graphql-ws.min.js"></script>
  <script src="/graphiql/graphiql.min.js"></script>
</head>
<body>
  <div id="graphiql">Loading…</div>
  <script>
    const url = location.origin + '/query';
    const subscriptionUrl = (location.protocol === 'https:' ? 'wss:' : 'ws:') + '//' + location.host + '/query';
    const httpFetcher = GraphiQL.createFetcher({ url });

    // One websocket per Authorization value: the token travels in connection_init.
    const wsClients = new Map();
    function wsClient(headers) {
      const auth = (headers && (headers.Authorization || headers.authorization)) || '';
      if (!wsClients.has(auth)) {
        wsClients.set(auth, graphqlWs.createClient({ url: subscriptionUrl, lazy: true, connectionParams: { Authorization: auth } }));
      }
      return wsClients.get(auth);
    }

    function isSubscription(params, opts) {
      const doc = opts && opts.documentAST;
      if (!doc) return /^\s*subscription\b/.test(params.query || '');
      const ops = doc.definitions.filter(d => d.kind === 'OperationDefinition');
      const op = params.operationName ? ops.find(d => d.name && d.name.value === params.operationName) : ops[0];
      return !!op && op.operation === 'subscription';
    }

    // A subscription is an async iterable: GraphiQL shows each event as it comes.
    function fetcher(params, opts) {
      if (!isSubscription(params, opts)) return httpFetcher(params, opts);
      return wsClient(opts && opts.headers).iterate(params);
    }

    ReactDOM.createRoot(document.getElementById('graphiql')).render(
      React.createElement(GraphiQL, {
        fetcher,
        defaultHeaders: {{.Headers}},
        isHeadersEditorEnabled: true,
        shouldPersistHeaders: true,
      }),
    );
  </script>
</body>
</html>
`))
