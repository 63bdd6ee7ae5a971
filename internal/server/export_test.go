package server

// FragmentBombs exposes the fragment-bomb documents to the HTTP tests.
var FragmentBombs = fragmentBombs
