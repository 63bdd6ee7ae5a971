package server

// FragmentBombs exposes the fragment-bomb documents to the HTTP tests.
var FragmentBombs = fragmentBombs

// Multiline exposes which text inputs may span lines.
var Multiline = multiline
