package market

import "testing"

func TestCheckWellFormed(t *testing.T) {
	for _, tc := range []struct {
		s         string
		multiline bool
		ok        bool
	}{
		{"Hello", false, true},
		{"", false, true},
		{"   ", false, true}, // white space alone is left to the use cases (trimmed, then required or not)
		{"Ünïcödé — 你好 👋🏽", false, true},
		{"two\nlines\tand tab\r\n", true, true},
		{"two\nlines", false, false},
		{"tab\there", false, false},
		{"nul\x00", true, false},
		{"esc\x1b[31m", true, false},
		{"del\x7f", true, false},
		{"c1\u0085", true, false},
		{"bad\xff", true, false},
		{"surrogate\ufffd", true, false},
		{"\u200b", true, false},
		{"\u200b\u200c\u200d\ufeff \u2060", true, false},
		{"\u3164\u115f", false, false},
		{"\u2800", false, false},
		{"a\u200bb", false, true}, // visible text with a zero-width space inside is text
		{"👍", false, true},
		{"\u00a0x", false, true},
	} {
		err := CheckWellFormed("input.body", tc.s, tc.multiline)
		if (err == nil) != tc.ok {
			t.Errorf("%q (multiline %v): %v", tc.s, tc.multiline, err)
		}
		if err != nil && (!IsCode(err, CodeValidationFailed) || err.(*Error).Field != "input.body") {
			t.Errorf("%q: %#v", tc.s, err)
		}
	}
}

func TestCheckTextTrimsInvisible(t *testing.T) {
	if _, err := CheckText("input.body", "\u200b \u200d", 100, true); !IsCode(err, CodeValidationFailed) {
		t.Errorf("invisible-only text must count as empty: %v", err)
	}
	if s, err := CheckText("input.body", "\ufeff hi \u200b", 100, true); err != nil || s != "hi" {
		t.Errorf("%q %v", s, err)
	}
}
