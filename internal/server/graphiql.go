package server

import (
	"embed"
	"encoding/json"
	"html/template"
	"io/fs"
	"net/http"
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

// graphiqlPage renders GraphiQL. Queries and mutations go over HTTP;
// subscriptions over a graphql-transport-ws websocket whose connection_init
// carries the Authorization header from GraphiQL's headers editor.
// defaultHeaders fills the headers editor (in development: a demo user's token).
func graphiqlPage(defaultHeaders func() map[string]string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		headers := "{}"
		if defaultHeaders != nil {
			if h := defaultHeaders(); len(h) > 0 {
				b, _ := json.MarshalIndent(h, "", "  ")
				headers = string(b)
			}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_ = graphiqlTemplate.Execute(w, map[string]any{"Headers": headers})
	}
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

    function fetcher(params, opts) {
      if (!isSubscription(params, opts)) return httpFetcher(params, opts);
      const client = wsClient(opts && opts.headers);
      return {
        subscribe(observer) {
          const sink = typeof observer === 'function' ? { next: observer } : observer;
          const dispose = client.subscribe(params, {
            next: v => sink.next && sink.next(v),
            error: e => sink.error && sink.error(e instanceof Error ? e : new Error(e && e.reason || 'websocket closed')),
            complete: () => sink.complete && sink.complete(),
          });
          return { unsubscribe: dispose };
        },
      };
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
