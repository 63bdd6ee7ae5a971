package contactinfo

import (
	"unicode"
	"unicode/utf8"
)

// Flags recorded for normalised bytes.
const (
	// fSpelled marks a joiner ('@', '.', '_', '-') that was written as a
	// word ("at", "dot") or in brackets ("[at]", "(dot)").
	fSpelled uint8 = 1 << iota
	// fWordDot marks a '.' written as the bare word "dot" (so "dot net"
	// can be told apart from an obfuscated ".net" domain).
	fWordDot
	// fDigitWord marks a digit written as a word ("five", "oh").
	fDigitWord
)

// normText is the normalised form of a text: b is ASCII; byte i of b came
// from src[start[i]:end[i]].
type normText struct {
	src        string
	b          []byte
	start, end []int32
	flags      []uint8
}

func (n *normText) emit(c byte, s, e int32, f uint8) {
	n.b = append(n.b, c)
	n.start = append(n.start, s)
	n.end = append(n.end, e)
	n.flags = append(n.flags, f)
}

// origUpper reports whether normalised byte i came from an ASCII upper-case
// letter.
func (n *normText) origUpper(i int) bool {
	c := n.src[n.start[i]]
	return n.end[i]-n.start[i] == 1 && 'A' <= c && c <= 'Z'
}

// origLower reports whether normalised byte i came from an ASCII lower-case
// letter.
func (n *normText) origLower(i int) bool {
	c := n.src[n.start[i]]
	return n.end[i]-n.start[i] == 1 && 'a' <= c && c <= 'z'
}

type tokKind uint8

const (
	tkSpace tokKind = iota
	tkWord
	tkPunct
)

// token is a word (run of letters, digits and '_'), a single punctuation
// character or a run of whitespace. ns:ne is its text in the raw buffer;
// rep, when non-zero, replaces that text with a single byte (spelled-out
// joiners and digits).
type token struct {
	kind         tokKind
	s, e         int32 // int32 keeps tokens small; texts are far below 2 GiB
	ns, ne       int32
	rep          byte
	flags        uint8
	joinL, joinR bool // whitespace on that side is dropped
	drop         bool // (spaces) dropped from the output
}

type charClass uint8

const (
	clSpace charClass = iota
	clWord
	clPunct
	clMark // combining mark: belongs to the previous character
	clDrop // invisible format character: ignored
)

// classify maps a rune to its class and normalised ASCII byte.
func classify(r rune, size int) (charClass, byte) {
	if r < utf8.RuneSelf {
		c := byte(r)
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '_':
			return clWord, c
		case 'A' <= c && c <= 'Z':
			return clWord, c + ('a' - 'A')
		case c <= ' ' || c == 0x7f:
			return clSpace, ' '
		}
		return clPunct, c
	}
	if r == utf8.RuneError && size == 1 {
		return clSpace, ' '
	}
	if 0xFF01 <= r && r <= 0xFF5E { // fullwidth ASCII forms
		return classify(r-0xFEE0, 1)
	}
	switch r {
	case '。', '｡', '․', '﹒':
		return clPunct, '.'
	case '‐', '‑', '‒', '–', '—', '―', '−', '﹣', '⁃':
		return clPunct, '-'
	case '﹫':
		return clPunct, '@'
	case '’', '‘', 'ʼ':
		return clPunct, '\''
	case '“', '”', '«', '»':
		return clPunct, '"'
	case '€', '£', '¥', '₹', '₽', '₴', '₩', '₺', '₦', '₱', '¢':
		return clPunct, '$'
	}
	switch {
	case unicode.IsSpace(r):
		return clSpace, ' '
	case unicode.In(r, unicode.Mn, unicode.Me):
		return clMark, 0
	case unicode.Is(unicode.Cf, r):
		return clDrop, 0
	case unicode.IsDigit(r):
		if d, ok := digitValue(r); ok {
			return clWord, '0' + d
		}
		return clWord, 'x'
	case unicode.IsLetter(r):
		return clWord, 'x'
	}
	return clSpace, ' '
}

// digitValue returns the value of a decimal digit of any script. Every range
// of unicode.Nd is a whole number of contiguous 0-9 blocks.
func digitValue(r rune) (byte, bool) {
	for _, rg := range unicode.Nd.R16 {
		if rune(rg.Lo) <= r && r <= rune(rg.Hi) {
			return byte((r - rune(rg.Lo)) % 10), true
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if rune(rg.Lo) <= r && r <= rune(rg.Hi) {
			return byte((r - rune(rg.Lo)) % 10), true
		}
	}
	return 0, false
}

// tokenize splits src into tokens; the text of word and punctuation tokens
// is stored in raw, whose bytes came from src[rs[i]:re[i]].
func tokenize(src string) (toks []token, raw []byte, rs, re []int32) {
	toks = make([]token, 0, len(src)/3+1)
	raw = make([]byte, 0, len(src))
	rs = make([]int32, 0, len(src))
	re = make([]int32, 0, len(src))
	prev := clPunct // class of the last non-ignored rune
	for i32 := int32(0); int(i32) < len(src); {
		i := int(i32)
		r, size := rune(src[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(src[i:])
		}
		sz := int32(size)
		end := i32 + sz
		cls, c := classify(r, size)
		switch cls {
		case clWord:
			if prev == clWord {
				t := &toks[len(toks)-1]
				t.e, t.ne = end, t.ne+1
			} else {
				toks = append(toks, token{kind: tkWord, s: i32, e: end, ns: int32(len(raw)), ne: int32(len(raw)) + 1})
			}
			raw, rs, re = append(raw, c), append(rs, i32), append(re, end)
			prev = clWord
		case clPunct:
			toks = append(toks, token{kind: tkPunct, s: i32, e: end, ns: int32(len(raw)), ne: int32(len(raw)) + 1})
			raw, rs, re = append(raw, c), append(rs, i32), append(re, end)
			prev = clPunct
		case clSpace:
			if prev == clSpace {
				toks[len(toks)-1].e = end
			} else {
				toks = append(toks, token{kind: tkSpace, s: i32, e: end})
			}
			prev = clSpace
		case clMark:
			// Attach to the preceding letter so that spans never split a
			// base letter from its accents.
			if prev == clWord {
				toks[len(toks)-1].e = end
				re[len(re)-1] = end
			}
		case clDrop:
		}
		i32 = end
	}
	return toks, raw, rs, re
}

func (t *token) text(raw []byte) []byte { return raw[t.ns:t.ne] }

// normLen is the number of bytes the token contributes to the output.
func (t *token) normLen() int {
	switch {
	case t.kind == tkSpace:
		return 1
	case t.rep != 0:
		return 1
	}
	return int(t.ne - t.ns)
}

func isDigitTok(t *token, raw []byte) bool {
	if t.rep != 0 {
		return '0' <= t.rep && t.rep <= '9'
	}
	if t.kind != tkWord {
		return false
	}
	for _, c := range t.text(raw) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

var closeBracket = map[byte]byte{'(': ')', '[': ']', '{': '}', '<': '>'}

// mergeBrackets replaces "[at]", "( dot )", "{@}", "<.>"… by a single
// spelled joiner token.
func mergeBrackets(toks []token, raw []byte) []token {
	out := toks[:0]
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.kind == tkPunct {
			if cl, ok := closeBracket[raw[t.ns]]; ok {
				j := i + 1
				if j < len(toks) && toks[j].kind == tkSpace {
					j++
				}
				var rep byte
				if j < len(toks) {
					switch m := toks[j]; {
					case m.kind == tkWord && string(m.text(raw)) == "at",
						m.kind == tkPunct && raw[m.ns] == '@':
						rep = '@'
					case m.kind == tkWord && string(m.text(raw)) == "dot",
						m.kind == tkPunct && raw[m.ns] == '.':
						rep = '.'
					}
				}
				if rep != 0 {
					j++
					if j < len(toks) && toks[j].kind == tkSpace {
						j++
					}
					if j < len(toks) && toks[j].kind == tkPunct && raw[toks[j].ns] == cl {
						out = append(out, token{kind: tkPunct, s: t.s, e: toks[j].e, rep: rep, flags: fSpelled})
						i = j
						continue
					}
				}
			}
		}
		out = append(out, t)
	}
	return out
}

var numberWords = map[string]byte{
	"zero": '0', "one": '1', "two": '2', "three": '3', "four": '4',
	"five": '5', "six": '6', "seven": '7', "eight": '8', "nine": '9',
}

// neighbour returns the index of the nearest non-space token in direction
// dir (-1 or +1), or -1.
func neighbour(toks []token, i, dir int) int {
	for j := i + dir; j >= 0 && j < len(toks); j += dir {
		if toks[j].kind != tkSpace {
			return j
		}
	}
	return -1
}

// normalize builds the normalised form of src (see the package comment).
func normalize(src string) *normText {
	toks, raw, rs, re := tokenize(src)
	toks = mergeBrackets(toks, raw)

	// Spelled-out joiners and digits.
	for i := range toks {
		t := &toks[i]
		if t.kind != tkWord || t.rep != 0 || t.ne-t.ns > 10 {
			continue
		}
		w := string(t.text(raw))
		switch w {
		case "at":
			t.rep, t.flags = '@', fSpelled
		case "dot", "d0t":
			t.rep, t.flags = '.', fSpelled|fWordDot
		case "underscore":
			t.rep, t.flags = '_', fSpelled
		case "dash", "hyphen":
			t.rep, t.flags = '-', fSpelled
		default:
			if d, ok := numberWords[w]; ok {
				t.rep, t.flags = d, fDigitWord
			}
		}
	}
	// "oh" / "o" is a zero next to another digit ("five oh one"). Two
	// passes so that runs of them resolve in either direction.
	for pass := 0; pass < 2; pass++ {
		for k := range toks {
			i := k
			if pass == 1 {
				i = len(toks) - 1 - k
			}
			t := &toks[i]
			if t.kind != tkWord || t.rep != 0 {
				continue
			}
			if w := string(t.text(raw)); w != "oh" && w != "o" {
				continue
			}
			p, q := neighbour(toks, i, -1), neighbour(toks, i, +1)
			if (p >= 0 && isDigitTok(&toks[p], raw)) || (q >= 0 && isDigitTok(&toks[q], raw)) {
				t.rep, t.flags = '0', fDigitWord
			}
		}
	}
	// Which whitespace disappears.
	isSpace := func(i int) bool { return i >= 0 && i < len(toks) && toks[i].kind == tkSpace }
	for i := range toks {
		t := &toks[i]
		if t.kind == tkSpace {
			continue
		}
		if t.flags&fSpelled != 0 {
			t.joinL, t.joinR = true, true
			continue
		}
		if t.kind != tkPunct || t.rep != 0 {
			continue
		}
		switch raw[t.ns] {
		case '@':
			before, after := isSpace(i-1), isSpace(i+1)
			switch {
			case before && after: // "bob @ gmail"
				t.joinL, t.joinR = true, true
			case !before && after && i > 0 && toks[i-1].kind == tkWord: // "bob@ gmail"
				t.joinR = true
			}
		case '.':
			if isSpace(i-1) && isSpace(i+1) { // "gmail . com"
				t.joinL, t.joinR = true, true
			}
		}
	}
	single := func(i int) bool { return toks[i].kind != tkSpace && toks[i].normLen() == 1 }
	for i := 0; i < len(toks); i++ {
		if !single(i) || (i > 0 && toks[i-1].kind != tkSpace) {
			// A run never starts glued to the previous token: in "job. n a
			// m e" the full stop stays with "job".
			continue
		}
		j, count, digits := i, 1, isDigitTok(&toks[i], raw)
		for j+2 < len(toks) && toks[j+1].kind == tkSpace && single(j+2) {
			j += 2
			count++
			digits = digits && isDigitTok(&toks[j], raw)
		}
		// "n a m e", "5 5 5 - 1 2 3". Runs of digits alone stay spaced: the
		// phone detector copes with spaces, and "1 2 3 4 5 6 7 8" must stay
		// recognisable as counting.
		if count >= 3 && !digits {
			for k := i + 1; k < j; k += 2 {
				toks[k].drop = true
			}
		}
		i = j
	}
	for i := range toks {
		t := &toks[i]
		if t.kind == tkSpace && ((i > 0 && toks[i-1].joinR) || (i+1 < len(toks) && toks[i+1].joinL)) {
			t.drop = true
		}
	}

	n := &normText{
		src:   src,
		b:     make([]byte, 0, len(raw)+len(toks)),
		start: make([]int32, 0, len(raw)+len(toks)),
		end:   make([]int32, 0, len(raw)+len(toks)),
		flags: make([]uint8, 0, len(raw)+len(toks)),
	}
	for i := range toks {
		t := &toks[i]
		switch {
		case t.kind == tkSpace:
			if !t.drop && len(n.b) > 0 {
				n.emit(' ', t.s, t.e, 0)
			}
		case t.rep != 0:
			n.emit(t.rep, t.s, t.e, t.flags)
		default:
			for k := t.ns; k < t.ne; k++ {
				n.emit(raw[k], rs[k], re[k], 0)
			}
		}
	}
	return n
}
