package server

import (
	"strings"
	"testing"
	"unsafe"
)

// TestQueryStringsIntern: subscriptions sending the same query text share
// one copy of it; the table is bounded, and a text it has forgotten is
// simply kept as sent.
func TestQueryStringsIntern(t *testing.T) {
	q := newQueryStrings(2)
	text := "subscription Bell { notificationReceived { cursor } }"
	first := q.intern(strings.Clone(text))
	second := q.intern(strings.Clone(text))
	if second != text || unsafe.StringData(first) != unsafe.StringData(second) {
		t.Fatalf("the same text was not shared: %p %p", unsafe.StringData(first), unsafe.StringData(second))
	}
	q.intern("a")
	q.intern("b") // the table holds two: the bell's text is forgotten
	if third := q.intern(strings.Clone(text)); third != text || unsafe.StringData(third) == unsafe.StringData(first) {
		t.Fatalf("a forgotten text: got %q at %p", third, unsafe.StringData(third))
	}
	if n := q.cache.Len(); n != 2 {
		t.Fatalf("%d texts kept, want at most 2", n)
	}
	var zero queryStrings
	if zero.intern(text) != text {
		t.Fatal("a transport without a table returns the text")
	}
}
