package server

import "regexp"

// FragmentBombs exposes the fragment-bomb documents to the HTTP tests.
var FragmentBombs = fragmentBombs

// Multiline exposes which text inputs may span lines.
var Multiline = multiline

// internalName matches what an error message must never show: Go types and
// packages, decoder and driver prefixes, SQL, file paths, panics.
var internalName = regexp.MustCompile(`(?i)(json: |go value|go struct|\b(server|graph|model|market|hiring|postgres|auth|realtime|main|ast|gqlerror|graphql)\.[A-Za-z]|\*[a-z]+\.[A-Z]|\.go\b|pq: |sql: |\b(select|insert|update|delete) .*\b(from|into|set|where)\b|violates|constraint|relation "|runtime error|panic|goroutine|nil pointer|/(home|root|usr|tmp|work|go)/)`)

// LeaksInternals reports what in msg looks like an internal name ("" if nothing).
func LeaksInternals(msg string) string { return internalName.FindString(msg) }
