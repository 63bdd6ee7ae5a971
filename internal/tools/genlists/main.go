// Command genlists is the step of go generate that follows gqlgen in
// package graph: it makes the generated code marshal lists of objects with
// graph's marshalList instead of graphql.MarshalSliceConcurrently (see
// graph/lists.go for why). It rewrites the file named by its argument in
// place, and fails when there is nothing to rewrite, so that a gqlgen that
// generates lists differently is noticed at once.
package main

import (
	"bytes"
	"fmt"
	"go/format"
	"os"
)

const (
	from = "graphql.MarshalSliceConcurrently("
	to   = "marshalList("
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: genlists graph/generated.go")
		os.Exit(2)
	}
	if err := rewrite(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "genlists:", err)
		os.Exit(1)
	}
}

func rewrite(path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	n := bytes.Count(src, []byte(from))
	if n == 0 && bytes.Contains(src, []byte(to)) {
		return nil // already rewritten
	}
	if n == 0 {
		return fmt.Errorf("%s: no call of %s… to rewrite: has gqlgen changed how it marshals lists?", path, from)
	}
	out, err := format.Source(bytes.ReplaceAll(src, []byte(from), []byte(to)))
	if err != nil {
		return err
	}
	return os.WriteFile(path, out, 0o644)
}
