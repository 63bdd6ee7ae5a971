package server

import (
	"net/http"
	"net/http/pprof"
)

// DebugHandler serves Go's profiles under /debug/pprof/. It is meant for a
// listener of its own (DEBUG_ADDR), bound to a private address: profiles
// show the program's internals and a CPU profile costs CPU while it runs,
// so the API's handler (New) never serves them.
func DebugHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}
