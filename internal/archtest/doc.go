// Package archtest holds tests of the repository's shape rather than of its
// behaviour: which package may import which (layering_test.go).
package archtest
