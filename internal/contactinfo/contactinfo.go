// Package contactinfo detects contact information in free text.
//
// It enforces product rule R17: until a contract starts between a client and
// a freelancer, no contact information may be shared in free text
// (invitation messages, cover letters, screening answers, decline and
// withdrawal messages, chat messages, profile texts). Four kinds of contact
// information are recognised: email addresses, phone numbers, URLs and
// messenger handles, including the usual obfuscations ("bob at gmail dot
// com", "bob [at] gmail [dot] com", "b o b @ g m a i l . c o m", "five five
// five one two three four", "5 5 5 - 1 2 3 - 4 5 6 7", "www dot example dot
// com", "example(dot)com").
//
// # How it works
//
// Find first builds a normalised, ASCII-only copy of the input in which every
// byte remembers the original byte range it came from. It reads the text as
// a person does:
//
//   - letters are lower-cased; fullwidth forms (＠ ． ０…９ ａ…ｚ) fold to
//     ASCII; decimal digits of any script (Arabic-Indic, Devanagari,
//     Bengali, Thai, mathematical…) fold to 0-9 by their numeric value,
//     circled and dingbat digits too; characters that look like ASCII
//     letters or digits fold to them through Unicode's confusables table
//     (confusables_table.go, a generated subset: Cyrillic "ѕkуpe", Greek
//     "Ιnstagram"); compatibility forms (superscripts "⁵⁵⁵", circled "⑤",
//     mathematical "𝐬𝐤𝐲𝐩𝐞", ligatures, accents) fold to their NFKC
//     decomposition (golang.org/x/text/unicode/norm); other letters become
//     'x'; currency signs fold to '$'; dashes to '-'; zero-width characters
//     are dropped;
//   - the words "at" and "dot" (and "arroba", "arobase", "punto", "punkt",
//     "period", Cyrillic "собака", "точка"…) and the bracketed forms "[at]",
//     "(at)", "{at}", "<at>", "[dot]", "(period)", "[@]", "(.)"… become '@'
//     and '.'; "underscore", "dash" and "hyphen" become '_' and '-';
//   - number words become digits: English always ("five", "fifty five",
//     "twelve", "double five", "eight hundred"), and Spanish, Portuguese,
//     French, German, Italian, Dutch, Polish, Turkish, Indonesian, Russian
//     and Ukrainian, Russian and Hindi transliterated inside runs of three
//     or more (numbers.go); words mixing digits and digit words or the
//     letters O and l ("five5five", "1two3", "2O3O", "432l0") are read as
//     digits; "oh"/"o" becomes 0 next to another digit;
//   - some disguises are undone: "example .com", "example,com",
//     "john-at-gmail-dot-com", "johnATgmailDOTcom", "john@@gmail",
//     "www example com", "g mail"; Cyrillic messenger names ("телеграм",
//     "ватсап") and top-level domains ("пример.рф", "例子.中国") are read as
//     their Latin forms;
//   - whitespace around spelled-out joiners, around an '@' or '.' that has
//     spaces on both sides, and inside runs of three or more single
//     characters separated by spaces ("n a m e @ g m a i l") is removed;
//     runs of digits alone keep their spaces, which the phone detector
//     accepts as separators.
//
// Detectors then run on the normalised text in priority order (explicit
// URLs with a scheme, email addresses, addresses without a domain ("johndoe
// at gmail", "johndoe (gmail)"), bare domains, messenger handles
// introduced by a messenger name, phone numbers, standalone @handles); a
// later detector never claims text an earlier one already claimed, so
// findings never overlap. Positions are mapped back, so Finding.Text,
// Start and End always refer to the original input.
//
// The main risk of a rule like R17 is rejecting ordinary proposal prose, so
// every detector is biased towards precision; the doc comments of the
// detectors (detect.go) give the details.
//
// # What counts
//
//   - Email: local@domain with a real or spelled-out '@' ("bob@gmail.com",
//     "bob at gmail dot com", "bob(at)gmail(dot)com", "n a m e @ g m a i l .
//     c o m", "mailto:…", "bob@gmail"). A spelled-out "at" needs more
//     evidence than a real '@' (see emails).
//   - URL: anything with a scheme ("https://…"), "www." hosts, and bare
//     domains whose TLD is in a curated list ("example.com", "example dot
//     com", "example(dot)com", "github.com/bob").
//   - Messenger: a handle after a messenger/social network name ("skype:
//     bob.smith", "my skype is bob_smith", "telegram @bobsmith", "whatsapp
//     +44 7700 900123", "WeChat ID: bob_wx") or before one ("bob_smith on
//     telegram"); links that open a chat ("wa.me/…", "t.me/bob",
//     "discord.gg/…", "skype:bob?call"); a standalone "@handle" that looks
//     like one ("@bob_smith") or follows a contact phrase ("ping me @bob").
//   - Phone: 7 to 20 digits in a run separated by spaces, '.', '-', '/' or
//     parentheses, optionally led by '+', digits possibly spelled out ("five
//     five five one two three four", "5 5 5 - 1 2 3 - 4 5 6 7"); "tel:…".
//
// # What does not
//
//   - A messenger name alone ("we can talk on Skype", "Telegram bots",
//     "Skype: available", "bottom line: …"), a plain "@word" ("@media",
//     "@Override", "@angular/core").
//
//   - Framework and file names ("Node.js", "React.js", "ASP.NET",
//     "Socket.io", "logo.ai", "README.md"), abbreviations ("e.g.", "U.S."),
//     versions ("2.0", "1.24.0/0.46.0"), a missing space after a full stop
//     ("works.In").
//
//   - Numbers that are not phone numbers: fewer than 7 digits, dates
//     ("2024-05-01"), year ranges and lists ("2019-2021"), times, money
//     ("$1,200.00", "1 200 000 EUR"), round quantities ("1.000.000"),
//     numbers with units ("2500000 downloads"), counting ("1 2 3 4 5 6 7"),
//     numbers glued to letters ("ES2015", "1920x1080", "CVE-2024-12345"),
//     IP addresses, ratings ("9/10", "24/7").
//
//   - Identifiers and lists, told from phone numbers by their label or
//     their shape (notPhone in detect.go): ISBNs (by check digit), invoice,
//     order, SKU, EAN, ticket, case… numbers after their label, year-led
//     identifiers ("2026-000123"), Amazon order numbers, ranges of
//     equal-length numbers and times ("1500-2500", "0900-1700"), ascending
//     or long lists ("45 50 55 60 65"), round numbers, thousands written
//     with spaces ("8 336 817"), decimals ("3.1415926"). A phone word
//     before the digits ("call", "number", "whatsapp") keeps a list a
//     phone number; digits spelled out as words are always one.
//
//   - Well-known companies whose name is their domain, written bare
//     ("Amazon.com", "ex-Booking.com"); with a path, "www." or a scheme
//     they are links.
//
// How well: over the labelled corpus in testdata/contactinfo (TestCorpus),
// recall is above 99 % and false positives below 1 %. Known limitations
// (texts of the corpus still missed): letters each followed by a dot
// ("j.o.h.n @ g.m.a.i.l . c.o.m") and a bare handle far from its messenger
// ("tell me your skype…, mine is mike.t.2020"). Card numbers and
// unlabelled 7+ digit ids still look like phone numbers; a plain
// "@bobsmith" without context is not found.
package contactinfo

import (
	"errors"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Kind is the kind of contact information found.
type Kind string

// The kinds of contact information Find reports.
const (
	Email     Kind = "EMAIL"
	Phone     Kind = "PHONE"
	URL       Kind = "URL"
	Messenger Kind = "MESSENGER_HANDLE"
)

// Phrase returns the kind with an indefinite article, for messages
// ("an email address", "a phone number", "a URL", "a messenger handle").
func (k Kind) Phrase() string {
	switch k {
	case Email:
		return "an email address"
	case Phone:
		return "a phone number"
	case URL:
		return "a URL"
	case Messenger:
		return "a messenger handle"
	}
	return "contact information"
}

// Finding is one piece of contact information found in a text.
type Finding struct {
	Kind Kind
	// Text is the offending text exactly as it appears in the input, i.e.
	// always text[Start:End]. It never starts or ends with whitespace.
	Text string
	// Start and End are byte offsets into the input; they always lie on
	// rune boundaries.
	Start, End int
}

// Find returns every piece of contact information in text, in order of
// appearance. Findings never overlap.
//
// Find is pure, safe for concurrent use and runs in time roughly linear in
// the length of text.
func Find(text string) []Finding {
	if text == "" {
		return nil
	}
	n := normalize(text)
	if len(n.b) == 0 {
		return nil
	}
	d := newDetector(n)
	d.schemeURLs()
	d.emails()
	d.providerEmails()
	d.domains()
	d.messengers()
	d.phones()
	d.handles()
	if len(d.found) == 0 {
		return nil
	}
	sort.Slice(d.found, func(i, j int) bool { return d.found[i].a < d.found[j].a })
	out := make([]Finding, 0, len(d.found))
	for _, f := range d.found {
		s, e := int(n.start[f.a]), int(n.end[f.b-1])
		out = append(out, Finding{Kind: f.kind, Text: text[s:e], Start: s, End: e})
	}
	return out
}

// maxDescribedText is the longest Finding.Text Describe quotes verbatim.
const maxDescribedText = 60

// Describe renders findings for an error message, e.g.
//
//	an email address ("bob at gmail dot com") and a phone number ("+1 555 123 4567")
//
// Texts longer than 60 bytes are shortened with an ellipsis. Describe
// returns "" for no findings.
func Describe(fs []Finding) string {
	var sb strings.Builder
	for i, f := range fs {
		switch {
		case i == 0:
		case i == len(fs)-1:
			sb.WriteString(" and ")
		default:
			sb.WriteString(", ")
		}
		sb.WriteString(f.Kind.Phrase())
		sb.WriteString(" (")
		sb.WriteString(strconv.Quote(shorten(f.Text, maxDescribedText)))
		sb.WriteString(")")
	}
	return sb.String()
}

// shorten cuts s to at most limit bytes (on a rune boundary), adding "…".
func shorten(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strings.TrimSpace(s[:cut]) + "…"
}

// ErrContactInfo is the sentinel matched (via errors.Is) by the errors
// Check returns.
var ErrContactInfo = errors.New("contact information is not allowed before a contract starts")

// Error reports contact information found by Check.
type Error struct {
	Findings []Finding
}

// Error implements error: "contact information is not allowed before a
// contract starts: found an email address ("bob@gmail.com")".
func (e *Error) Error() string {
	return ErrContactInfo.Error() + ": found " + Describe(e.Findings)
}

// Unwrap makes errors.Is(err, ErrContactInfo) true.
func (e *Error) Unwrap() error { return ErrContactInfo }

// Check returns an *Error listing the contact information in text, or nil
// if there is none.
func Check(text string) error {
	if fs := Find(text); len(fs) > 0 {
		return &Error{Findings: fs}
	}
	return nil
}

// FindInLink checks a link to a file shown to the other party (an
// attachment's URL). The link itself is expected, so it is not reported as
// a URL; what is reported is a link that opens a messenger conversation
// ("https://wa.me/…", "t.me/…") and contact information written into it:
// an address or a handle anywhere, a phone number in the path when it is
// written in groups or after a phone word ("…/call-me-555-123-4567"), not
// a bare run of digits (file ids, timestamps: "/uploads/1733091234/cv.pdf").
// Anything that is not an http(s) link is read as text.
func FindInLink(link string) []Finding {
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return Find(link)
	}
	whole := []Finding{{Text: link, Start: 0, End: len(link)}}
	host := strings.ToLower(u.Hostname())
	if messengerHosts[host] || messengerHosts[strings.TrimPrefix(host, "www.")] {
		whole[0].Kind = Messenger
		return whole
	}
	asWords := strings.NewReplacer("-", " ", "_", " ", "+", " ", "=", " ", "&", " ", "?", " ", "#", " ")
	words := asWords.Replace(u.Host + " " + u.EscapedPath())
	if p, err := url.PathUnescape(words); err == nil {
		words = p
	}
	if e := strings.LastIndexByte(words, '.'); e > 0 && !strings.ContainsRune(words[e:], ' ') {
		words = words[:e] // the file extension
	}
	query := asWords.Replace(u.RawQuery)
	if q, err := url.QueryUnescape(query); err == nil {
		query = q
	}
	for _, f := range Find(words) {
		switch f.Kind {
		case URL:
			continue // the host itself
		case Phone:
			if !strings.ContainsAny(f.Text, " .()") && !phoneWordBefore(words[:f.Start]) {
				continue
			}
		}
		whole[0].Kind = f.Kind
		return whole
	}
	for _, f := range Find(query) {
		if f.Kind == Email || f.Kind == Messenger {
			whole[0].Kind = f.Kind
			return whole
		}
	}
	return nil
}

// phoneWordBefore reports whether the last word of s is a phone word
// ("call", "phone", "whatsapp"…).
func phoneWordBefore(s string) bool {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r < 'a' || r > 'z' })
	return len(f) > 0 && phoneWords[f[len(f)-1]]
}
