package server

import (
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// TestDataResponse: a response without errors is {"data": …} with the data
// as gqlgen wrote it; one with errors goes through json.Marshal; both are
// served with nosniff.
func TestDataResponse(t *testing.T) {
	data := json.RawMessage(`{"invitations":{"edges":[{"node":{"message":"<b>Tom & Jerry</b> \u2028"}}]}}`)
	for _, c := range []struct {
		resp *graphql.Response
		want string
	}{
		{&graphql.Response{Data: data}, `{"data":` + string(data) + `}`},
		{&graphql.Response{Data: json.RawMessage(`null`), Errors: gqlerror.List{{Message: "no"}}}, `{"errors":[{"message":"no"}],"data":null}`},
	} {
		w := httptest.NewRecorder()
		httpTransport{}.write(w, mediaJSON, 200, c.resp, true)
		if got := w.Body.String(); got != c.want {
			t.Errorf("body %s\nwant %s", got, c.want)
		}
		if !json.Valid(w.Body.Bytes()) {
			t.Errorf("not JSON: %s", w.Body)
		}
		if w.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("headers %v", w.Header())
		}
		if ws := marshalResponse(c.resp); c.resp.Errors == nil && string(ws) != c.want {
			t.Errorf("websocket payload %s, want %s", ws, c.want)
		}
	}
}
