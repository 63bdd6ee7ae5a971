package contactinfo

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
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

// folded is what a character folds to: its class and up to three ASCII
// bytes (a letter or digit that looks like or decomposes to several, "①" →
// "1", "⑩" → "10", "ﬁ" → "fi").
type folded struct {
	cls charClass
	n   uint8
	b   [3]byte
}

func one(cls charClass, c byte) folded { return folded{cls: cls, n: 1, b: [3]byte{c}} }

// classify maps the rune at src[i:i+size] to its class and normalised ASCII
// bytes: ASCII as is (lower-cased); fullwidth forms as their ASCII; decimal
// digits of any script and circled digits as their value; characters that
// look like ASCII letters or digits (Unicode's confusables, e.g. Cyrillic
// "ѕ", "е", "у", Greek "Ι") as those; compatibility forms (superscripts,
// circled and mathematical letters and digits, ligatures, accented letters)
// as their NFKC decomposition's ASCII letters and digits; other letters as
// 'x'.
func classify(src string, i int, r rune, size int) folded {
	if r < utf8.RuneSelf {
		c := byte(r)
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '_':
			return one(clWord, c)
		case 'A' <= c && c <= 'Z':
			return one(clWord, c+('a'-'A'))
		case c <= ' ' || c == 0x7f:
			return one(clSpace, ' ')
		}
		return one(clPunct, c)
	}
	if r == utf8.RuneError && size == 1 {
		return one(clSpace, ' ')
	}
	if 0xFF01 <= r && r <= 0xFF5E { // fullwidth ASCII forms
		return classify("", 0, r-0xFEE0, 1)
	}
	switch r {
	case '。', '｡', '․', '﹒':
		return one(clPunct, '.')
	case '‐', '‑', '‒', '–', '—', '―', '−', '﹣', '⁃':
		return one(clPunct, '-')
	case '﹫':
		return one(clPunct, '@')
	case '’', '‘', 'ʼ':
		return one(clPunct, '\'')
	case '“', '”', '«', '»':
		return one(clPunct, '"')
	case '€', '£', '¥', '₹', '₽', '₴', '₩', '₺', '₦', '₱', '¢':
		return one(clPunct, '$')
	}
	switch {
	case unicode.IsSpace(r):
		return one(clSpace, ' ')
	case unicode.In(r, unicode.Mn, unicode.Me):
		return folded{cls: clMark}
	case unicode.Is(unicode.Cf, r):
		return folded{cls: clDrop}
	case unicode.IsDigit(r):
		if d, ok := digitValue(r); ok {
			return one(clWord, '0'+d)
		}
		return one(clWord, 'x')
	}
	if d, ok := dingbatDigit(r); ok {
		return one(clWord, '0'+d)
	}
	if s, ok := confusables[r]; ok {
		if len(s) == 1 && !isAlnum(s[0]) && !('A' <= s[0] && s[0] <= 'Z') {
			return one(clPunct, s[0])
		}
		var f folded
		for k := 0; k < len(s); k++ {
			c := s[k]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if isAlnum(c) {
				f.b[f.n] = c
				f.n++
			}
		}
		if f.n > 0 {
			f.cls = clWord
			return f
		}
	}
	if src != "" {
		if dec := norm.NFKC.PropertiesString(src[i : i+size]).Decomposition(); len(dec) > 0 {
			var f folded
			for _, c := range dec {
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				if isAlnum(c) && f.n < 3 {
					f.b[f.n] = c
					f.n++
				}
			}
			if f.n > 0 {
				f.cls = clWord
				return f
			}
		}
	}
	if unicode.IsLetter(r) || unicode.IsNumber(r) {
		return one(clWord, 'x')
	}
	return one(clSpace, ' ')
}

// dingbatDigit returns the value of the circled digits that Unicode does
// not decompose (dingbats "❶", "➀", "➊", double-circled "⓵", "⓿").
func dingbatDigit(r rune) (byte, bool) {
	switch {
	case 0x2776 <= r && r <= 0x277E:
		return byte(r-0x2776) + 1, true
	case 0x2780 <= r && r <= 0x2788:
		return byte(r-0x2780) + 1, true
	case 0x278A <= r && r <= 0x2792:
		return byte(r-0x278A) + 1, true
	case 0x24F5 <= r && r <= 0x24FD:
		return byte(r-0x24F5) + 1, true
	case r == 0x24FF || r == 0x24EA || r == 0x1F10B || r == 0x1F10C:
		return 0, true
	}
	return 0, false
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
		f := classify(src, i, r, size)
		switch f.cls {
		case clWord:
			if prev == clWord {
				t := &toks[len(toks)-1]
				t.e, t.ne = end, t.ne+int32(f.n)
			} else {
				toks = append(toks, token{kind: tkWord, s: i32, e: end, ns: int32(len(raw)), ne: int32(len(raw)) + int32(f.n)})
			}
			for k := uint8(0); k < f.n; k++ {
				raw, rs, re = append(raw, f.b[k]), append(rs, i32), append(re, end)
			}
			prev = clWord
		case clPunct:
			toks = append(toks, token{kind: tkPunct, s: i32, e: end, ns: int32(len(raw)), ne: int32(len(raw)) + 1})
			raw, rs, re = append(raw, f.b[0]), append(rs, i32), append(re, end)
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
					case m.kind == tkWord && spelledJoiners[string(m.text(raw))] != 0:
						rep = spelledJoiners[string(m.text(raw))]
					case m.kind == tkPunct && raw[m.ns] == '@':
						rep = '@'
					case m.kind == tkPunct && raw[m.ns] == '.':
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

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// commaTLDs are the top-level domains that make "example,com" and
// "example .com" a domain.
var commaTLDs = set(`com net org io co uk ru de dev app me info biz`)

// unitWords are the English digits, for mixedDigits.
var unitWords = [10]string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}

// mixedDigits reads a word made of digits, English digit words and the
// letters o and l standing for 0 and 1 ("five5five", "1two3", "2o3o",
// "ol27", "fivefive"). It needs a real digit next to a word or letter, or
// two digit words; the letters o and l count only next to a real digit.
func mixedDigits(w []byte) (string, bool) {
	if len(w) < 2 {
		return "", false
	}
	var out [24]byte
	n, real, words, letters, underscores := 0, 0, 0, 0, 0
	for p := 0; p < len(w); {
		if n == len(out) {
			return "", false
		}
		c := w[p]
		if isDigit(c) {
			out[n], n, p, real = c, n+1, p+1, real+1
			continue
		}
		matched := false
		for d, u := range unitWords {
			if bytes.HasPrefix(w[p:], []byte(u)) {
				out[n], n, p, words, matched = byte('0'+d), n+1, p+len(u), words+1, true
				break
			}
		}
		if matched {
			continue
		}
		switch c {
		case 'o':
			out[n] = '0'
		case 'l':
			out[n] = '1'
		case '_':
			p, underscores = p+1, underscores+1
			continue
		default:
			return "", false
		}
		n, p, letters = n+1, p+1, letters+1
	}
	if (real > 0 && words+letters > 0) || (real == 0 && letters == 0 && words >= 2) || (underscores > 0 && real >= 7 && words+letters == 0) {
		return string(out[:n]), true
	}
	return "", false
}

// spellNumbers turns number words into digits. A run is a sequence of
// number words and digits separated by spaces, commas or hyphens; English
// words always count, words of other languages only in runs of three or
// more. Tens before a unit give one digit ("fifty five" → "5 5"), alone
// two ("fifty" → "50"); teens give two ("twelve" → "12"); "hundred" gives
// "00"; "double"/"triple" repeat the next unit.
func spellNumbers(toks []token, raw []byte, nums []numWord, setText func(*token, string, uint8)) {
	numberish := func(i int) bool {
		return toks[i].kind == tkWord && (nums[i].kind != nkNone || isDigitTok(&toks[i], raw))
	}
	for i := 0; i < len(toks); {
		if !numberish(i) {
			i++
			continue
		}
		// Collect the run.
		run := []int{i}
		j := i + 1
		for j < len(toks) {
			k := j
			for k < len(toks) && (toks[k].kind == tkSpace || (toks[k].kind == tkPunct && toks[k].rep == 0 &&
				(raw[toks[k].ns] == ',' || raw[toks[k].ns] == '-'))) && k-j < 4 {
				k++
			}
			if k >= len(toks) || !numberish(k) {
				break
			}
			run = append(run, k)
			j = k + 1
		}
		counts := func(x int) bool { return nums[x].kind != nkNone && (!nums[x].foreign || len(run) >= 3) }
		for r, x := range run {
			if !counts(x) {
				continue
			}
			nw := nums[x]
			nextUnit := -1
			if r+1 < len(run) && counts(run[r+1]) && nums[run[r+1]].kind == nkUnit {
				nextUnit = nums[run[r+1]].val
			}
			var text string
			switch nw.kind {
			case nkUnit:
				text = string(rune('0' + nw.val))
			case nkTeen:
				text = string(rune('0'+nw.val/10)) + string(rune('0'+nw.val%10))
			case nkTens:
				text = string(rune('0' + nw.val))
				if nextUnit < 0 {
					text += "0"
				}
			case nkHundred:
				text = "00"
			case nkRepeat:
				if nextUnit < 0 {
					continue
				}
				text = strings.Repeat(string(rune('0'+nextUnit)), nw.val-1)
			}
			setText(&toks[x], text, fDigitWord)
		}
		i = j
	}
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

	// Words rewritten: Cyrillic and other-script words that stand for
	// something ("телеграм", "собака", "рф"), spelled-out joiners, number
	// words, digits mixed with number words or with the letters O and l
	// ("five5five", "2O3O").
	setText := func(t *token, text string, flags uint8) {
		if len(text) == 1 {
			t.rep, t.flags = text[0], flags
			return
		}
		t.ns = int32(len(raw))
		raw = append(raw, text...)
		for range text {
			rs, re = append(rs, t.s), append(re, t.e)
		}
		t.ne = int32(len(raw))
		t.flags = flags
	}
	var nums []numWord
	for i := range toks {
		t := &toks[i]
		if t.kind != tkWord || t.rep != 0 {
			continue
		}
		if orig := src[t.s:t.e]; !isASCII(orig) {
			if w, ok := idnTLDs[orig]; ok {
				setText(t, w, 0)
			} else if w, ok := cyrillicWords[strings.ToLower(orig)]; ok {
				setText(t, w, 0)
			}
		}
		w := t.text(raw)
		if t.rep != 0 {
			continue
		}
		if len(w) > 12 {
			if d, ok := mixedDigits(w); ok {
				setText(t, d, fDigitWord)
			}
			continue
		}
		if c, ok := spelledJoiners[string(w)]; ok {
			f := fSpelled
			if c == '.' {
				f |= fWordDot
			}
			t.rep, t.flags = c, f
			continue
		}
		switch string(w) {
		case "underscore":
			t.rep, t.flags = '_', fSpelled
			continue
		case "dash", "hyphen":
			t.rep, t.flags = '-', fSpelled
			continue
		case "dotcom", "dotnet", "dotorg":
			setText(t, "."+string(w[3:]), fSpelled|fWordDot)
			continue
		}
		if nw, ok := numberLexicon[string(w)]; ok {
			if nums == nil {
				nums = make([]numWord, len(toks))
			}
			nums[i] = nw
			continue
		}
		if d, ok := mixedDigits(w); ok {
			setText(t, d, fDigitWord)
		}
	}
	if nums != nil {
		spellNumbers(toks, raw, nums, setText)
	}
	obfuscations(src, toks, &raw, setText)
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
			} else if isSpace(i-1) && i > 1 && toks[i-2].kind == tkWord && i+1 < len(toks) && toks[i+1].kind == tkWord &&
				commaTLDs[string(toks[i+1].text(raw))] && (i+2 == len(toks) || toks[i+2].kind != tkWord) &&
				'a' <= src[toks[i+1].s] && src[toks[i+1].s] <= 'z' {
				t.joinL = true // "example .com"
			}
		case ',':
			if i > 0 && i+1 < len(toks) && toks[i-1].kind == tkWord && toks[i+1].kind == tkWord && toks[i-1].rep == 0 &&
				!isDigitTok(&toks[i-1], raw) && commaTLDs[string(toks[i+1].text(raw))] {
				t.rep = '.' // "example,com"
			}
		}
	}
	single := func(i int) bool {
		return toks[i].kind != tkSpace && toks[i].normLen() == 1 && toks[i].flags&fDigitWord == 0
	}
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
				n.emit(raw[k], rs[k], re[k], t.flags)
			}
		}
	}
	return n
}

// obfuscations undoes a few more disguises of addresses: hyphens around a
// spelled-out joiner ("john-at-gmail-dot-com"), a doubled '@' ("john@@gmail"),
// "www example com", "g mail" / "gee mail", and "AT"/"DOT" in capitals
// inside a word ("johnATgmailDOTcom").
func obfuscations(src string, toks []token, rawp *[]byte, setText func(*token, string, uint8)) {
	word := func(i int) string {
		if i < 0 || i >= len(toks) || toks[i].kind != tkWord || toks[i].rep != 0 {
			return ""
		}
		return string(toks[i].text(*rawp))
	}
	punct := func(i int, c byte) bool {
		return i >= 0 && i < len(toks) && toks[i].kind == tkPunct && toks[i].rep == 0 && (*rawp)[toks[i].ns] == c
	}
	drop := func(i int) { toks[i].kind, toks[i].drop = tkSpace, true }
	for i := range toks {
		t := &toks[i]
		switch {
		case t.flags&fSpelled != 0 && t.kind == tkWord:
			if punct(i-1, '-') && i >= 2 && toks[i-2].kind == tkWord {
				drop(i - 1)
			}
			if punct(i+1, '-') && i+2 < len(toks) && toks[i+2].kind == tkWord {
				drop(i + 1)
			}
		case punct(i, '@') && punct(i+1, '@'):
			drop(i + 1)
		case word(i) == "www" && i+4 < len(toks) && toks[i+1].kind == tkSpace && word(i+2) != "" &&
			toks[i+3].kind == tkSpace && commaTLDs[word(i+4)]:
			toks[i+1].kind, toks[i+1].rep = tkPunct, '.'
			toks[i+3].kind, toks[i+3].rep = tkPunct, '.'
		case (word(i) == "g" || word(i) == "gee") && i+2 < len(toks) && toks[i+1].kind == tkSpace && word(i+2) == "mail":
			setText(t, "gmail", 0)
			toks[i+1].drop = true
			setText(&toks[i+2], "", 0)
		case t.kind == tkWord && t.rep == 0 && t.e-t.s >= 8:
			if w := src[t.s:t.e]; isASCII(w) && strings.Contains(w, "AT") && strings.Contains(w, "DOT") {
				k := strings.Index(w, "AT")
				l := strings.LastIndex(w, "DOT")
				if k > 0 && l > k+2 && l+3 < len(w) && w[k-1] >= 'a' && w[k-1] <= 'z' {
					setText(t, strings.ToLower(w[:k])+"@"+strings.ToLower(w[k+2:l])+"."+strings.ToLower(w[l+3:]), fSpelled)
				}
			}
		}
	}
}
