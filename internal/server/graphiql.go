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
	// owner says whose token the headers carry ("" when unknown).
	owner string
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
	who := "# No token is prefilled: run the login mutation, then put\n" +
		"# {\"Authorization\": \"Bearer <token>\"} in the headers editor below.\n"
	if headers != "{}" {
		who = "# The headers editor below holds a bearer token of\n"
		if g.owner != "" {
			who += "# " + g.owner + ":\n# every operation on this page runs as them.\n"
		} else {
			who += "# the user every operation on this page runs as.\n"
		}
	}
	tabs, _ := json.Marshal(graphiqlExamples(who, headers))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = graphiqlTemplate.Execute(w, map[string]any{"Headers": headers, "Tabs": template.JS(tabs)})
}

// graphiqlTab is one of the tabs GraphiQL opens with (its defaultTabs).
type graphiqlTab struct {
	Query     string `json:"query"`
	Variables string `json:"variables,omitempty"`
	Headers   string `json:"headers"`
}

// graphiqlExamples are the operations GraphiQL opens with: the viewer's
// invitations, the bell, and accepting an invitation. who says whose token
// the headers carry.
func graphiqlExamples(who, headers string) []graphiqlTab {
	return []graphiqlTab{{
		Query: "# hiregraph: invitations to apply, proposals, offers and the notification bell.\n" + who +
			"# The tabs above hold examples: this one, the live bell, accepting an invitation.\n\n" +
			`query MyInvitations {
  viewer { name connectsBalance unreadNotificationCount }
  invitations(first: 10, filter: {status: PENDING}) {
    totalCount
    edges {
      cursor
      node { id origin message matchScore job { title connectsRequired } client { name } }
    }
  }
}
`,
		Headers: headers,
	}, {
		Query: `# The bell, live over a websocket: it runs until you stop it and shows
# each new notification with the viewer's unread count. Without after it
# starts now; pass an edge cursor of notifications as after to resume.
# Invite this user from another tab (as the client) to see one arrive.
subscription Bell {
  notificationReceived {
    cursor
    notification { kind title createdAt subject { __typename ... on Invitation { id } } }
    viewer { unreadNotificationCount }
  }
}
`,
		Headers: headers,
	}, {
		Query: `# Accepting an invitation submits a proposal in one step and charges the
# job's Connects. Paste an invitation id from MyInvitations into the
# variables below (leave terms out to accept the job's terms).
mutation AcceptInvitation($in: AcceptInvitationInput!) {
  acceptInvitation(input: $in) {
    invitation { id status }
    proposal { id status terms { hourlyRate { amount } fixedPrice { amount } } }
    viewer { connectsBalance }
  }
}
`,
		Variables: `{
  "in": {
    "invitationId": "<an invitation id from MyInvitations>",
    "coverLetter": "I have built three dashboards like this one."
  }
}`,
		Headers: headers,
	}}
}

// favicon is hiregraph's icon: a node graph on a rounded square.
const favicon = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">` +
	`<rect width="64" height="64" rx="14" fill="#1f6feb"/>` +
	`<g stroke="#fff" stroke-width="4"><line x1="18" y1="20" x2="46" y2="20"/><line x1="18" y1="20" x2="32" y2="46"/><line x1="46" y1="20" x2="32" y2="46"/></g>` +
	`<g fill="#fff"><circle cx="18" cy="20" r="7"/><circle cx="46" cy="20" r="7"/><circle cx="32" cy="46" r="7"/></g></svg>`

func serveFavicon(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_, _ = w.Write([]byte(favicon))
}

var graphiqlTemplate = template.Must(template.New("graphiql").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>hiregraph · GraphiQL</title>
  <link rel="icon" href="/favicon.svg" type="image/svg+xml">
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

    // The operation name GraphiQL sends can lag behind an edit of the
    // query (e.g. a tab's example replaced as a whole): drop a name the
    // query does not define.
    function withOperationName(params) {
      const name = params.operationName;
      if (!name) return params;
      const defined = new RegExp('\\b(query|mutation|subscription)\\s+' + name + '\\b').test(params.query || '');
      return defined ? params : Object.assign({}, params, { operationName: undefined });
    }

    // Whether the operation to run is a subscription, read from the query
    // text itself (GraphiQL's parsed document can lag behind an edit too).
    function isSubscription(params) {
      const text = (params.query || '').replace(/#[^\n]*/g, '');
      if (params.operationName) {
        return new RegExp('\\bsubscription\\s+' + params.operationName + '\\b').test(text);
      }
      return /^\s*subscription\b/.test(text);
    }

    // A subscription is an async iterable: GraphiQL shows each event as it comes.
    function fetcher(params, opts) {
      params = withOperationName(params);
      // Queries and mutations over HTTP (without GraphiQL's parsed document,
      // by which its HTTP fetcher would judge, possibly stale, too).
      if (!isSubscription(params)) return httpFetcher(params, Object.assign({}, opts, { documentAST: undefined }));
      return wsClient(opts && opts.headers).iterate(params);
    }

    ReactDOM.createRoot(document.getElementById('graphiql')).render(
      React.createElement(GraphiQL, {
        fetcher,
        defaultHeaders: {{.Headers}},
        defaultTabs: {{.Tabs}},
        isHeadersEditorEnabled: true,
        shouldPersistHeaders: true,
      }),
    );
  </script>
</body>
</html>
`))
