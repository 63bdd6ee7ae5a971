package market

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// CheckWellFormed is the one check every text input passes before anything else
// sees it (the server applies it to every string of every operation's
// arguments, walking the schema's input types): valid UTF-8 (a U+FFFD
// replacement character is what invalid bytes or a lone surrogate such as
// "\ud800" decode to, and is refused too), no NUL and no other control
// character (newlines and tabs are allowed where the text is multi-line),
// and not only invisible characters (such a text counts as empty, and an
// empty text is not a text). field names the input in the error.
// Errors: VALIDATION_FAILED.
func CheckWellFormed(field, s string, multiline bool) error {
	if !utf8.ValidString(s) {
		return Invalid(field, "%s is not valid UTF-8", field)
	}
	visible := false
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			return Invalid(field, "%s is not valid UTF-8 (it holds U+FFFD, what invalid bytes or a lone surrogate decode to)", field)
		case r == 0:
			return Invalid(field, "%s contains a NUL character", field)
		case r == '\n' || r == '\t' || r == '\r':
			if !multiline {
				return Invalid(field, "%s must be a single line: no line breaks or tabs", field)
			}
		case unicode.IsControl(r):
			return Invalid(field, "%s contains a control character (%U)", field, r)
		case !visible && !IsInvisible(r):
			visible = true
		}
	}
	if !visible && strings.TrimFunc(s, unicode.IsSpace) != "" {
		return Invalid(field, "%s is empty: it holds only invisible characters", field)
	}
	return nil
}

// IsInvisible reports whether r shows nothing: white space, format
// characters (zero-width spaces and joiners, bidirectional marks, the byte
// order mark, soft hyphens), variation selectors, and the blank letters
// (Hangul fillers, the braille blank) used to fake empty text.
func IsInvisible(r rune) bool {
	switch {
	case unicode.IsSpace(r), unicode.Is(unicode.Cf, r), unicode.Is(unicode.Variation_Selector, r):
		return true
	case r == '\u115f', r == '\u1160', r == '\u3164', r == '\uffa0', r == '\u2800', r == '\u034f', r == '\u180e':
		return true
	}
	return false
}
