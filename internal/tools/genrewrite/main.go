// Command genrewrite is the step of go generate that follows gqlgen in
// package graph: it points two calls of the generated code at package
// graph's own functions (graph/lists.go says why):
//
//   - graphql.MarshalSliceConcurrently → marshalList: lists whose elements'
//     rows were fetched ahead are marshalled without a goroutine each;
//   - graphql.NewDeferredGroup → deferredGroup: the served schema has no
//     @defer, so an object's group of deferred fields is always empty, and
//     gqlgen's constructor computed its path and allocated a field set and
//     a map for every object of every response.
//
// It rewrites the file named by its argument in place, and fails when a
// call it rewrites is not there at all, so that a gqlgen that generates
// differently is noticed at once.
package main

import (
	"bytes"
	"fmt"
	"go/format"
	"os"
)

var rewrites = []struct{ from, to string }{
	{"graphql.MarshalSliceConcurrently(", "marshalList("},
	{"graphql.NewDeferredGroup(", "deferredGroup("},
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: genrewrite graph/generated.go")
		os.Exit(2)
	}
	if err := rewrite(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "genrewrite:", err)
		os.Exit(1)
	}
}

func rewrite(path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out := src
	for _, r := range rewrites {
		from, to := []byte(r.from), []byte(r.to)
		if !bytes.Contains(out, from) && !bytes.Contains(out, to) {
			return fmt.Errorf("%s: no call of %s… to rewrite: has gqlgen changed what it generates?", path, r.from)
		}
		out = bytes.ReplaceAll(out, from, to)
	}
	if bytes.Equal(out, src) {
		return nil
	}
	if out, err = format.Source(out); err != nil {
		return err
	}
	return os.WriteFile(path, out, 0o644)
}
