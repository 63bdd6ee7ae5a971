package contactinfo

import (
	"bytes"
	"regexp"
)

// span is a finding in normalised coordinates.
type span struct {
	a, b int
	kind Kind
}

// detector runs the detectors over one normalised text. occ marks the
// normalised bytes already claimed by a finding.
type detector struct {
	n      *normText
	b      []byte
	occ    []bool
	found  []span
	masked []byte
	lbuf   [][2]int
}

func newDetector(n *normText) *detector {
	return &detector{n: n, b: n.b, occ: make([]bool, len(n.b))}
}

func (d *detector) free(a, b int) bool {
	for i := a; i < b; i++ {
		if d.occ[i] {
			return false
		}
	}
	return true
}

// add claims b[a:e] for a finding of kind k unless part of it is taken.
func (d *detector) add(a, e int, k Kind) bool {
	if a >= e || !d.free(a, e) {
		return false
	}
	for i := a; i < e; i++ {
		d.occ[i] = true
	}
	d.found = append(d.found, span{a, e, k})
	return true
}

func isLower(c byte) bool    { return 'a' <= c && c <= 'z' }
func isDigit(c byte) bool    { return '0' <= c && c <= '9' }
func isAlnum(c byte) bool    { return isLower(c) || isDigit(c) }
func isWordByte(c byte) bool { return isAlnum(c) || c == '_' }

func hasLetter(b []byte) bool {
	for _, c := range b {
		if isLower(c) {
			return true
		}
	}
	return false
}

func allLower(b []byte) bool {
	for _, c := range b {
		if !isLower(c) {
			return false
		}
	}
	return len(b) > 0
}

// trimURLEnd drops trailing punctuation that belongs to the sentence rather
// than to the URL; a closing parenthesis stays when it balances one inside.
func trimURLEnd(b []byte, s, e int) int {
	open, closed := 0, 0
	for _, c := range b[s:e] {
		switch c {
		case '(':
			open++
		case ')':
			closed++
		}
	}
	for e > s {
		switch b[e-1] {
		case '.', ',', ';', ':', '!', '?', '\'', '"', '`', '*', '>', ']', '}', '~', '-':
			e--
		case ')':
			if open >= closed {
				return e
			}
			closed--
			e--
		default:
			return e
		}
	}
	return e
}

// ---------------------------------------------------------------------------
// URLs with a scheme.

// Link schemes. Web links are URLs (or Messenger, see messengerLink);
// mailto: is an Email; tel:, sms: and callto: are Phone; messenger schemes
// (skype:, tg://, viber://, whatsapp://…) are Messenger. Schemes without
// "//" must be followed directly by the address, so prose such as "Skype:
// tomorrow" or "Tel: 555…" is not a link.
var (
	slashSchemes = set(`http https ftp ftps sftp ws wss tg viber whatsapp weixin
discord skype zoommtg msteams line`)
	bareSchemes = set(`mailto tel sms callto skype facetime facetime-audio`)
)

// schemeURLs finds links with an explicit scheme ("https://…", "mailto:…").
// The scheme must start a word; the link runs to the next space, '<', '>'
// or '"', minus trailing sentence punctuation.
func (d *detector) schemeURLs() {
	b := d.b
	for c := bytes.IndexByte(b, ':'); c >= 0; {
		a := c
		for a > 0 && (isLower(b[a-1]) || (b[a-1] == '-' && a-1 > 0 && isLower(b[a-2]))) {
			a--
		}
		scheme := string(b[a:c])
		rest := c + 1
		ok := a < c && (a == 0 || !isWordByte(b[a-1]))
		switch {
		case !ok:
		case bytes.HasPrefix(b[rest:], []byte("//")) && slashSchemes[scheme]:
			rest += 2
		case bareSchemes[scheme] && rest < len(b) && b[rest] != ' ':
		default:
			ok = false
		}
		e := rest
		if ok {
			for e < len(b) && !d.urlStop(e) {
				e++
			}
			e = trimURLEnd(b, a, e)
			if e > rest && hasAlnumByte(b[rest:e]) {
				d.addLink(a, c, rest, e, scheme)
			}
		}
		next := bytes.IndexByte(b[max(e, c+1):], ':')
		if next < 0 {
			break
		}
		c = max(e, c+1) + next
	}
}

// addLink records the link b[a:e] with scheme b[a:c], address from rest.
func (d *detector) addLink(a, c, rest, e int, scheme string) {
	kind := Messenger
	switch scheme {
	case "mailto":
		kind = Email
	case "tel", "sms", "callto":
		kind = Phone
	case "http", "https", "ftp", "ftps", "sftp", "ws", "wss":
		kind = URL
		host, path := splitURL(d.b[rest:e])
		if messengerLink(host, path) {
			kind = Messenger
		}
	}
	d.add(a, e, kind)
}

func hasAlnumByte(b []byte) bool {
	for _, c := range b {
		if isAlnum(c) {
			return true
		}
	}
	return false
}

// splitURL splits "user@host:port/path" into host (without "www.") and
// path.
func splitURL(u []byte) (host, path []byte) {
	end := len(u)
	if i := bytes.IndexAny(u, "/?#"); i >= 0 {
		end = i
	}
	host, path = u[:end], u[end:]
	if i := bytes.LastIndexByte(host, '@'); i >= 0 {
		host = host[i+1:]
	}
	if i := bytes.IndexByte(host, ':'); i >= 0 {
		host = host[:i]
	}
	host = bytes.TrimPrefix(host, []byte("www."))
	return host, path
}

// messengerLink reports whether a link opens a messenger conversation
// (wa.me, t.me, discord.gg, discord.com/invite…).
func messengerLink(host, path []byte) bool {
	if messengerHosts[string(host)] {
		return true
	}
	switch string(host) {
	case "discord.com", "discordapp.com":
		return bytes.HasPrefix(path, []byte("/invite"))
	}
	return false
}

// ---------------------------------------------------------------------------
// Host names.

// labels splits the host b[s:e] into its dot-separated labels, stopping
// before the first empty or malformed one. The result is only valid until
// the next call.
func (d *detector) labels(s, e int) [][2]int {
	ls := d.lbuf[:0]
	for i := s; i < e; {
		j := i
		for j < e && d.b[j] != '.' {
			j++
		}
		if j == i || j-i > 63 || d.b[i] == '-' || d.b[j-1] == '-' {
			break
		}
		ls = append(ls, [2]int{i, j})
		i = j + 1
	}
	d.lbuf = ls
	return ls
}

type hostMode uint8

const (
	modeBare         hostMode = iota // bare domain: TLD from knownTLDs
	modeEmail                        // after a real '@': also unknown TLDs
	modeEmailSpelled                 // after a spelled "at": TLD from knownTLDs
)

// acceptTLD returns how many leading labels form an acceptable host name
// (at least two), or 0. Trailing labels are dropped when they cannot be a
// TLD, so "google.com.Thanks" yields "google.com". A real '.' followed by a
// capitalised word ("it works.In my view") is a missing space after a full
// stop, not a domain.
func (d *detector) acceptTLD(ls [][2]int, mode hostMode) int {
	ok := func(k int) (string, bool) {
		t := ls[k-1]
		tld := d.b[t[0]:t[1]]
		if len(tld) < 2 || len(tld) > 24 || !allLower(tld) {
			return "", false
		}
		dot := t[0] - 1
		if d.n.flags[dot]&fSpelled == 0 && d.n.origUpper(t[0]) && d.n.origLower(t[0]+1) {
			return "", false
		}
		return string(tld), true
	}
	for k := len(ls); k >= 2; k-- {
		if tld, good := ok(k); good && knownTLDs[tld] {
			return k
		}
	}
	if mode == modeEmail {
		for k := len(ls); k >= 2; k-- {
			if tld, good := ok(k); good && !fileExtensions[tld] {
				return k
			}
		}
	}
	return 0
}

// ---------------------------------------------------------------------------
// Email addresses.

func isLocalByte(c byte) bool {
	return isAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'
}

func isHostByte(c byte) bool { return isAlnum(c) || c == '.' || c == '-' }

// emails finds local@domain around every '@' (real or spelled out).
//
// With a real '@' the domain needs a TLD that is not a file extension
// ("icon@2x.png" is not an address); a well-known mailbox provider needs no
// TLD at all ("bob@gmail", and "bob.smith at gmail" when the local part is
// not a plain word).
//
// "at" is an everyday word, so an address whose '@' is spelled out must
// also have a TLD from knownTLDs and a local part that is not an ordinary
// word ("look at example.com"), and at least one more sign of being an
// address: a well-known mailbox provider ("bob at gmail dot com"), a
// spelled-out dot in the domain ("bob at acme dot io") or a local part
// that is not a plain word ("bob.smith at acme.io"). Otherwise the domain
// alone is reported as a URL by the domain detector ("I worked at
// acme.io").
func (d *detector) emails() {
	b := d.b
	for i := 0; i < len(b); i++ {
		if b[i] != '@' || d.occ[i] {
			continue
		}
		spelled := d.n.flags[i]&fSpelled != 0
		ls := i
		for ls > 0 && i-ls < 64 && isLocalByte(b[ls-1]) {
			ls--
		}
		for ls < i && !isWordByte(b[ls]) {
			ls++
		}
		if ls == i {
			continue
		}
		he := i + 1
		for he < len(b) && isHostByte(b[he]) && he-i < 255 {
			he++
		}
		for he > i+1 && !isAlnum(b[he-1]) {
			he--
		}
		labels := d.labels(i+1, he)
		if len(labels) == 0 {
			continue
		}
		mode := modeEmail
		if spelled {
			mode = modeEmailSpelled
		}
		k := d.acceptTLD(labels, mode)
		var end int
		switch {
		case k > 0:
			end = labels[k-1][1]
		case mailProviders[string(b[labels[0][0]:labels[0][1]])] &&
			(!spelled || !allLower(b[ls:i])):
			// "bob@gmail", "bob.smith at gmail"
			k, end = 1, labels[0][1]
		default:
			continue
		}
		if spelled {
			local := b[ls:i]
			if stopwords[string(local)] || (ls > 0 && b[ls-1] == '\'') { // "I'm at …"
				continue
			}
			sign := false
			for _, c := range local {
				if !isLower(c) {
					sign = true
				}
			}
			for j := 0; j < k; j++ {
				l := labels[j]
				if mailProviders[string(b[l[0]:l[1]])] && j < k-1 {
					sign = true
				}
				if j > 0 && d.n.flags[l[0]-1]&fSpelled != 0 {
					sign = true
				}
			}
			if !sign {
				continue
			}
		}
		if d.add(ls, end, Email) {
			i = end - 1
		}
	}
}

// ---------------------------------------------------------------------------
// Bare domains.

// domains finds host names without a scheme ("example.com",
// "www.example.com/portfolio", "example dot com", "t.me/bob").
//
// A host starting with "www." counts whatever its TLD; otherwise the TLD
// must be in knownTLDs, so "Node.js", "React.js", "e.g.", "version 2.0",
// "index.html" or "hello.world" are not URLs. Framework names that are
// syntactically domains ("ASP.NET", "Socket.io") are excluded, as is
// "dot net"/".NET" written as a word. A label before a spelled-out "dot"
// must not be an ordinary word ("the dot com bubble"). Brand names that
// really are domains ("Booking.com") are reported: they are links.
func (d *detector) domains() {
	b := d.b
	for i := 0; i < len(b); {
		if !isHostByte(b[i]) {
			i++
			continue
		}
		j := i
		for j < len(b) && isHostByte(b[j]) {
			j++
		}
		switch {
		case i > 0 && b[i-1] == '_': // "my_module.io"
		case i > 0 && b[i-1] == '@' && d.n.flags[i-1]&fSpelled == 0 && (i == 1 || !isLocalByte(b[i-2])):
			// "@bob.design" is a handle; the handle detectors decide.
		default:
			d.hostRun(i, j)
		}
		i = j
	}
}

// hostRun looks for host names in the run b[s:e] of letters, digits, '.'
// and '-'.
func (d *detector) hostRun(s, e int) {
	b := d.b
	for e > s && !isAlnum(b[e-1]) {
		e--
	}
	for s < e {
		for s < e && !isAlnum(b[s]) {
			s++
		}
		if s >= e || bytes.IndexByte(b[s:e], '.') < 0 {
			return
		}
		labels := d.labels(s, e)
		if len(labels) == 0 { // malformed first label: resume after its dot
			s += bytes.IndexByte(b[s:e], '.') + 1
			continue
		}
		next := labels[len(labels)-1][1] + 1
		if len(labels) >= 2 {
			d.host(labels, e)
		}
		s = next
	}
}

// host evaluates the host made of labels; runEnd is the end of the
// surrounding run (a path may only follow a host that uses all of it).
func (d *detector) host(labels [][2]int, runEnd int) {
	b := d.b
	a := labels[0][0]
	www := string(b[a:labels[0][1]]) == "www"
	k := d.acceptTLD(labels, modeBare)
	if www && k == 0 {
		k = len(labels) // "www." makes any TLD acceptable
	}
	if k == 0 && len(labels) == 2 && labels[1][1] == runEnd && pathTLDs[string(b[labels[1][0]:labels[1][1]])] &&
		runEnd+2 < len(b) && b[runEnd] == '/' && isLower(b[runEnd+1]) && isLower(b[runEnd+2]) &&
		d.n.flags[labels[0][1]]&fSpelled == 0 && allLower(b[a:labels[0][1]]) {
		k = 2 // "notion.so/bob": a TLD that is also a word, followed by a path
	}
	if k < 2 {
		return
	}
	hostEnd := labels[k-1][1]
	if !www && !d.plausibleHost(labels[:k]) {
		return
	}
	end := hostEnd
	if k == len(labels) && hostEnd == runEnd {
		end = d.extendPath(end)
	}
	if !www && end == hostEnd && d.n.flags[labels[0][1]]&fSpelled == 0 && wellKnownBrand(b[a:hostEnd]) {
		return // "Amazon.com", "ex-Booking.com": a company, not a link
	}
	kind := URL
	host, path := splitURL(b[a:end])
	if messengerLink(host, path) {
		kind = Messenger
	}
	d.add(a, end, kind)
}

// plausibleHost applies the false-positive filters of domains to a host
// whose TLD has been accepted.
func (d *detector) plausibleHost(ls [][2]int) bool {
	b := d.b
	a, e := ls[0][0], ls[len(ls)-1][1]
	tld := string(b[ls[len(ls)-1][0]:e])
	if !hasLetter(b[a:ls[len(ls)-1][0]]) || techNames[string(b[a:e])] {
		return false
	}
	if tld == "ai" && len(ls) == 2 {
		// "logo.ai", "final-logo.ai": an Illustrator file.
		for _, part := range bytes.Split(b[a:ls[0][1]], []byte("-")) {
			if designFiles[string(part)] {
				return false
			}
		}
	}
	if tld == "net" && len(ls) == 2 {
		// "ASP.NET", "VB.NET": all-capitals framework names.
		upper := true
		for i := a; i < e; i++ {
			if i != ls[0][1] && !d.n.origUpper(i) && !isDigit(b[i]) {
				upper = false
				break
			}
		}
		if upper {
			return false
		}
		// "dot net developer" (but "bob dot net slash portfolio" is a link)
		if d.n.flags[ls[0][1]]&fWordDot != 0 && !(e < len(b) && b[e] == '/' && d.n.flags[e]&fSpelled != 0) {
			return false
		}
	}
	for j := 0; j < len(ls)-1; j++ {
		l := ls[j]
		if d.n.flags[l[1]]&fSpelled != 0 && stopwords[string(b[l[0]:l[1]])] {
			return false
		}
	}
	return true
}

// urlStop reports whether b[i] ends a link: a space, '<', '>', '"', '`' or
// a spelled-out "at" (whose surrounding spaces normalisation removed).
func (d *detector) urlStop(i int) bool {
	switch d.b[i] {
	case ' ', '<', '>', '"', '`':
		return true
	case '@':
		return d.n.flags[i]&fSpelled != 0
	}
	return false
}

// extendPath extends a host ending at i over ":port" and a path, query or
// fragment.
func (d *detector) extendPath(i int) int {
	b := d.b
	if i+1 < len(b) && b[i] == ':' && isDigit(b[i+1]) {
		j := i + 1
		for j < len(b) && isDigit(b[j]) && j-i <= 5 {
			j++
		}
		if j == len(b) || !isWordByte(b[j]) {
			i = j
		}
	}
	if i < len(b) && (b[i] == '/' || b[i] == '?' || b[i] == '#') {
		s := i
		for i < len(b) && !d.urlStop(i) && !d.occ[i] {
			i++
		}
		i = trimURLEnd(b, s, i)
	}
	return i
}

// ---------------------------------------------------------------------------
// Messenger handles introduced by a messenger name.

// keywordAt reports whether a messenger name starts at i (which must start
// a word) and returns its end and its messengerKeywords key. Two-word
// spellings are joined: "whats app", "what's app", "we chat", "kakao talk".
func (d *detector) keywordAt(i int) (end int, key string, ok bool) {
	b := d.b
	j := i
	for j < len(b) && isWordByte(b[j]) {
		j++
	}
	w := b[i:j]
	if len(w) > 10 || len(w) < 2 {
		return 0, "", false
	}
	second := func(k int, want string) int {
		if k < len(b) && b[k] == ' ' {
			k++
		}
		if bytes.HasPrefix(b[k:], []byte(want)) && (k+len(want) == len(b) || !isWordByte(b[k+len(want)])) {
			return k + len(want)
		}
		return -1
	}
	switch string(w) {
	case "whats":
		if e := second(j, "app"); e > 0 {
			return e, "whatsapp", true
		}
	case "what":
		if j+1 < len(b) && b[j] == '\'' && b[j+1] == 's' {
			if e := second(j+2, "app"); e > 0 {
				return e, "whatsapp", true
			}
		}
	case "we":
		if e := second(j, "chat"); e > 0 {
			return e, "wechat", true
		}
	case "kakao":
		if e := second(j, "talk"); e > 0 {
			return e, "kakaotalk", true
		}
	case "tele", "sky", "insta", "snap", "face", "dis", "wats":
		joined := map[string][2]string{"tele": {"gram", "telegram"}, "sky": {"pe", "skype"}, "insta": {"gram", "instagram"},
			"snap": {"chat", "snapchat"}, "face": {"book", "facebook"}, "dis": {"cord", "discord"},
			"wats": {"app", "whatsapp"}}[string(w)]
		k := j
		if k < len(b) && b[k] == '-' {
			k++
		}
		if e := second(k, joined[0]); e > 0 {
			return e, joined[1], true
		}
	}
	if _, ok := messengerKeywords[string(w)]; ok {
		return j, string(w), true
	}
	return 0, "", false
}

// eachKeyword calls fn for every messenger name in b[s:e].
func (d *detector) eachKeyword(s, e int, fn func(ks, ke int, key string) bool) {
	b := d.b
	for i := s; i < e; {
		if !isWordByte(b[i]) || (i > 0 && isWordByte(b[i-1])) {
			i++
			continue
		}
		if ke, key, ok := d.keywordAt(i); ok && ke <= e {
			if !fn(i, ke, key) {
				return
			}
		}
		for i < e && isWordByte(b[i]) {
			i++
		}
	}
}

// messengers finds a handle after a messenger or social network name:
// "skype: bob.smith", "my skype is bob_smith", "telegram @bobsmith",
// "whatsapp +44 7700 900123", "WeChat ID: bob_wx", "Discord bob#1234".
//
// A messenger name alone is allowed ("we can talk on Skype"). Between the
// name and the handle there may be separators (":", "-", "/", "=") and
// connector words ("id", "handle", "username", "me at", "is", "or", other
// messenger names…). The handle is accepted when it is a phone number or
// an "@handle"; otherwise it must not be an ordinary word ("Skype:
// available", "Telegram bots") and either the connection is explicit (":",
// "=", "id", "handle", "username", "my skype is") or the handle looks like
// one (contains a digit, '_' or an inner '.': "skype bob.smith"). Names
// that are also ordinary words (signal, line, slack, teams, zoom…) need an
// explicit "id"/"handle"/"username", an "@handle", a phone number, or ':'
// followed by a handle-looking string.
func (d *detector) messengers() {
	b := d.b
	d.eachKeyword(0, len(b), func(ks, ke int, key string) bool {
		if d.occ[ks] {
			return true
		}
		ambiguous := messengerKeywords[key]
		myBefore := false
		if w := d.wordBefore(ks); w == "my" || w == "our" {
			myBefore = true
		}
		var strong, idword, viaIs, phone, realAt bool
		connectors := 0
		hs, he := -1, -1
		i := ke
	loop:
		for steps := 0; steps < 8 && i < len(b); steps++ {
			for i < len(b) && b[i] == ' ' {
				i++
			}
			if i >= len(b) || d.occ[i] {
				break
			}
			c := b[i]
			switch {
			case c == '+' || c == '(' || isDigit(c):
				if pa, pe, _, ok := d.phoneAt(i); ok {
					hs, he, phone = pa, pe, true
					break loop
				}
				if isDigit(c) && strong {
					hs, he = i, d.scanHandle(i) // "Threema ID: 7XK2PQ9M"
					break loop
				}
				if c != '(' {
					break loop
				}
				i++
			case c == '@':
				if d.n.flags[i]&fSpelled != 0 {
					i++ // "whatsapp me at …"
					connectors++
					continue
				}
				if i+1 < len(b) && isWordByte(b[i+1]) {
					hs, he, realAt = i, d.scanHandle(i+1), true
				}
				break loop
			case c == ':' || c == '=':
				strong = true
				connectors++
				i++
			case c == '-' || c == '/' || c == ',' || c == '&' || c == '|' || c == ')' || c == '>' || c == '#':
				connectors++
				i++
			case isWordByte(c):
				j := i
				for j < len(b) && isWordByte(b[j]) {
					j++
				}
				w := string(b[i:j])
				_, isKeyword := messengerKeywords[w]
				switch {
				case strongConnectors[w]:
					strong, idword = true, true
				case w == "is" && (myBefore || idword):
					strong, viaIs = true, true
				case weakConnectors[w] || isKeyword:
				default:
					hs, he = i, d.scanHandle(i)
					break loop
				}
				connectors++
				i = j
			default:
				break loop
			}
		}
		if hs < 0 || he <= hs {
			d.handleBefore(ks, ke, ambiguous)
			return true
		}
		h := b[hs:he]
		accept := false
		switch {
		case phone:
			// "line 1234567" is more likely a line number than Line.
			accept = !ambiguous || connectors > 0
		case realAt:
			accept = len(h) >= 3
		case len(h) < 2 || len(h) > 64 || stopwords[string(h)]:
		case viaIs && !idword && !handleShaped(h) && d.wordFollows(he):
			// "my telegram is blocked in my country": a plain word after
			// "my X is" is only a handle when nothing but punctuation follows.
		default:
			shaped := handleShaped(h) || (idword && hasLetter(h) && hasDigit(h))
			// A plain word right after the name, with nothing after it,
			// is a handle too ("skype johndoe", "Signal: johndoe").
			// A capitalised word is a product ("Facebook Marketplace",
			// "Discord Nitro"), a word in -ing a verb ("Twitter following").
			alone := connectors <= 1 && !d.wordFollows(he) && isLower(h[0]) &&
				(strong || !d.n.origUpper(hs)) && !bytes.HasSuffix(h, []byte("ing"))
			if ambiguous {
				accept = idword || (strong && (shaped || alone)) || (shortNames[key] && shaped)
			} else {
				accept = strong || shaped || alone
			}
		}
		kind := Messenger
		if mailKeywords[key] {
			kind = Email
		}
		if !accept || !d.add(ks, he, kind) {
			d.handleBefore(ks, ke, ambiguous)
		}
		return true
	})
}

// handleBefore finds a handle written before the messenger name:
// "bob_smith on telegram", "@bob via Slack". The handle must be an
// "@handle" or handle-shaped (and, for ambiguous names, an "@handle").
func (d *detector) handleBefore(ks, ke int, ambiguous bool) {
	b := d.b
	p := ks
	for p > 0 && b[p-1] == ' ' {
		p--
	}
	switch w := d.wordBefore(p); {
	case p > 0 && b[p-1] == '@' && d.n.flags[p-1]&fSpelled != 0:
		p--
	case w == "on" || w == "via":
		p -= len(w)
	default:
		return
	}
	for p > 0 && b[p-1] == ' ' {
		p--
	}
	he := p
	hs := he
	for hs > 0 && (isWordByte(b[hs-1]) || ((b[hs-1] == '.' || b[hs-1] == '-') && hs-1 > 0 && isWordByte(b[hs-2]))) {
		hs--
	}
	for hs < he && !isWordByte(b[hs]) {
		hs++
	}
	if hs == he {
		return
	}
	realAt := hs > 0 && b[hs-1] == '@' && d.n.flags[hs-1]&fSpelled == 0
	if realAt {
		hs--
	}
	if hs > 0 && (isWordByte(b[hs-1]) || b[hs-1] == '@' || b[hs-1] == '.') {
		return
	}
	h := b[hs:he]
	switch {
	case realAt:
		if he-hs < 4 {
			return
		}
	case ambiguous || stopwords[string(h)] || !handleShaped(h):
		return
	}
	d.add(hs, ke, Messenger)
}

// handleShaped reports whether h looks like a user name rather than a word:
// it starts with a letter or '_', has 4+ characters, 2+ letters and a
// digit, '_', '#', '@' or an inner '.' ("bob_smith", "bob.smith",
// "bob1987", "live:bob").
func handleShaped(h []byte) bool {
	if len(h) < 4 || !(isLower(h[0]) || h[0] == '_') {
		return false
	}
	if bytes.HasPrefix(h, []byte("live:")) {
		return true
	}
	letters, marks := 0, false
	for _, c := range h {
		switch {
		case isLower(c):
			letters++
		case isDigit(c) || c == '_' || c == '.' || c == '#' || c == '@':
			marks = true
		}
	}
	return marks && letters >= 2 // not "v2.0"
}

// scanHandle returns the end of a handle starting at h: letters, digits,
// '_', '-', inner '.' and '@', an optional Skype "live:" prefix and an
// optional Discord "#1234" suffix. A '.' followed by a capital letter ends
// the sentence, not the handle.
func (d *detector) scanHandle(h int) int {
	b := d.b
	i := h
	if bytes.HasPrefix(b[i:], []byte("live:")) && ((i+5 < len(b) && isWordByte(b[i+5])) ||
		(i+6 < len(b) && b[i+5] == '.' && isWordByte(b[i+6]))) {
		i += 5 // Skype "live:bob", "live:.cid.123abc"
		if b[i] == '.' {
			i++
		}
	}
	for i < len(b) && !d.occ[i] {
		c := b[i]
		if isWordByte(c) || c == '-' {
			i++
			continue
		}
		if (c == '.' || (c == '@' && d.n.flags[i]&fSpelled == 0)) &&
			i+1 < len(b) && isWordByte(b[i+1]) && !d.occ[i+1] && !(c == '.' && d.n.origUpper(i+1)) {
			i++
			continue
		}
		break
	}
	for i > h && (b[i-1] == '-' || b[i-1] == '.') {
		i--
	}
	if i+5 <= len(b) && b[i] == '#' && isDigit(b[i+1]) && isDigit(b[i+2]) && isDigit(b[i+3]) && isDigit(b[i+4]) &&
		(i+5 == len(b) || !isWordByte(b[i+5])) {
		i += 5
	}
	return i
}

// wordFollows reports whether another word follows position i (skipping
// spaces).
func (d *detector) wordFollows(i int) bool {
	for i < len(d.b) && d.b[i] == ' ' {
		i++
	}
	return i < len(d.b) && isWordByte(d.b[i])
}

// wordBefore returns the word ending just before position i (skipping
// spaces), or "".
func (d *detector) wordBefore(i int) string {
	b := d.b
	for i > 0 && b[i-1] == ' ' {
		i--
	}
	j := i
	for j > 0 && isWordByte(b[j-1]) {
		j--
	}
	return string(b[j:i])
}

// ---------------------------------------------------------------------------
// Phone numbers.

// maskRe matches (anchored) numbers that are not phone numbers; they are
// blanked out before phone numbers are looked for: dates ("2024-05-01", "01.05.2024"),
// year ranges ("2019-2021"), IPv4 addresses, ratings ("9/10", "24/7"),
// money ("$1 200 000", "1200000 USD"; other currency signs were folded to
// '$'), and round quantities ("1.000.000", "10000000").
var maskRe = regexp.MustCompile(`^(?:` +
	`(?:19|20)\d\d[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])\b` +
	`|(?:0?[1-9]|[12]\d|3[01])[-/.](?:0?[1-9]|[12]\d|3[01])[-/.](?:19|20)\d\d\b` +
	`|(?:19|20)\d\d ?[-/] ?(?:(?:19|20)\d\d|\d\d)\b` +
	`|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b` +
	`|\d{1,3}/(?:5|7|10|100)\b` +
	`|\$ ?\d+(?:[,. ]\d{3})*(?:[.,]\d{1,2})?` +
	`|(?:usd|eur|gbp|inr|aud|cad|rub|uah|chf|jpy|cny|pln|brl|ngn)\.? ?\d+(?:[,. ]\d{3})*(?:[.,]\d{1,2})?` +
	`|\d+(?:[,. ]\d{3})*(?:[.,]\d{1,2})? ?(?:\$|(?:usd|eur|gbp|inr|aud|cad|rub|uah|chf|jpy|cny|pln|brl|ngn|dollars?|euros?|bucks|pounds|rupees)\b)` +
	`|\d{1,3}(?:[,. ]\d{3})*[,. ]000\b` +
	`|\d+0000\b)`)

// currencyCodes start the prefixed-money alternative of maskRe.
var currencyCodes = set(`usd eur gbp inr aud cad rub uah chf jpy cny pln brl ngn`)

// mask returns the normalised text with maskRe matches blanked out as '~'.
// For speed the regexp only runs around stretches of non-letters holding
// at least 7 digits (the only places a phone number can be), widened by two
// words on each side for currency words ("USD 1 200 000", "… dollars").
func (d *detector) mask() []byte {
	if d.masked != nil {
		return d.masked
	}
	b := d.b
	m := b // copied on the first masked window; read-only until then
	for i := 0; i < len(b); {
		if isLower(b[i]) || b[i] == '_' {
			i++
			continue
		}
		j, digits := i, 0
		for j < len(b) && !isLower(b[j]) && b[j] != '_' {
			if isDigit(b[j]) {
				digits++
			}
			j++
		}
		if digits >= 7 {
			ws, we := i, j
			for w := 0; w < 3 && ws > 0; ws-- {
				if b[ws-1] == ' ' {
					w++
				}
			}
			for w := 0; w < 3 && we < len(b); we++ {
				if b[we] == ' ' {
					w++
				}
			}
			for ws > 0 && isWordByte(b[ws-1]) {
				ws--
			}
			for we < len(b) && isWordByte(b[we]) {
				we++
			}
			if &m[0] == &b[0] {
				m = append([]byte(nil), b...)
			}
			d.maskWindow(m, ws, we)
		}
		i = j
	}
	d.masked = m
	return m
}

// maskWindow applies maskRe, which is anchored, at every place in b[ws:we]
// where a number, a '$' or a currency code starts. (Trying a few anchored
// matches is much cheaper than an unanchored search.)
func (d *detector) maskWindow(m []byte, ws, we int) {
	b := d.b
	for p := ws; p < we; {
		c := b[p]
		try := c == '$'
		switch {
		case isDigit(c):
			try = (p == 0 || !isAlnum(b[p-1])) && !(p >= 2 && (b[p-1] == '.' || b[p-1] == '-') && isDigit(b[p-2]))
		case isLower(c) && (p == 0 || !isWordByte(b[p-1])):
			q := p
			for q < we && isLower(b[q]) {
				q++
			}
			try = currencyCodes[string(b[p:q])]
		}
		if try {
			if loc := maskRe.FindIndex(b[p:we]); loc != nil && loc[1] > 0 &&
				!(p+loc[1]+1 < len(b) && (b[p+loc[1]] == '.' || b[p+loc[1]] == '-') && isDigit(b[p+loc[1]+1])) {
				for k := p; k < p+loc[1]; k++ {
					m[k] = '~'
				}
				p += loc[1]
				continue
			}
		}
		p++
	}
}

// phoneRun describes a run of digits and separators.
type phoneRun struct {
	a, e        int // span; e is just after the last digit
	digits      int
	groups      int
	second      int  // start of the second digit group
	firstLen    int  // digits in the first group
	lastLen     int  // digits in the last group
	spaceOnly   bool // all separators are spaces
	onlyDot     bool // exactly one separator, a '.'
	openParen   bool // starts with an unmatched '('
	leadingPlus bool
	ascending   bool // every group is the previous one plus 1 ("1 2 3 4 5 6 7")
	allYears    bool // every group is a year ("2019 2020 2021")
	version     bool // dotted groups including a lone 0 ("1.24.0/0.46.0")
}

// scanRun scans the longest run starting at i of digits separated by short
// separator groups (at most three of " .-/()", at most one of ".-/"). A '+'
// may only lead.
func (d *detector) scanRun(i int) (phoneRun, bool) {
	m := d.mask()
	r := phoneRun{a: i, spaceOnly: true, ascending: true, allYears: true}
	prev := -1
	j := i
	if m[j] == '+' {
		r.leadingPlus = true
		j++
		if j < len(m) && m[j] == ' ' {
			j++
		}
	}
	parens := 0
	if j < len(m) && m[j] == '(' {
		parens++
		j++
	}
	if j >= len(m) || !isDigit(m[j]) || d.occ[j] {
		return r, false
	}
	seps := 0
	var lastSep byte
	zeroGroup, onlyDotSlash := false, true
	for j < len(m) && !d.occ[j] {
		if isDigit(m[j]) {
			g, v := 0, 0
			for j < len(m) && isDigit(m[j]) && !d.occ[j] {
				if g < 6 {
					v = v*10 + int(m[j]-'0')
				}
				j++
				g++
			}
			if g > 5 || (prev >= 0 && v != prev+1) {
				r.ascending = false
			}
			if g != 4 || v < 1900 || v >= 2100 {
				r.allYears = false
			}
			if g == 1 && v == 0 {
				zeroGroup = true
			}
			prev = v
			r.groups++
			r.digits += g
			if r.groups == 1 {
				r.firstLen = g
			}
			r.lastLen = g
			r.e = j
			continue
		}
		k, hard, sp := j, 0, 0
	sep:
		for k < len(m) && k-j < 3 && !d.occ[k] {
			switch c := m[k]; c {
			case ' ':
				sp++
			case '.', '-', '/':
				hard++
				lastSep = c
			case '(':
				parens++
			case ')':
				parens--
			case ',':
				// "five five five, one two three": a comma separates
				// spelled-out digits only (never "1,500,000").
				if k != j || d.n.flags[j-1]&fDigitWord == 0 {
					break sep
				}
				hard++
			default:
				break sep
			}
			k++
		}
		if k == j || hard > 1 || sp > 2 || k >= len(m) || !isDigit(m[k]) || d.occ[k] {
			break
		}
		if hard > 0 || sp != k-j {
			r.spaceOnly = false
		}
		if hard != 1 || k-j != 1 || (m[j] != '.' && m[j] != '/') {
			onlyDotSlash = false
		}
		seps++
		if r.groups == 1 {
			r.second = k
		}
		j = k
	}
	r.onlyDot = seps == 1 && lastSep == '.' && !r.spaceOnly
	r.version = zeroGroup && r.groups >= 3 && onlyDotSlash
	r.openParen = parens > 0
	return r, true
}

// phoneAt returns the phone number starting at i, if any.
//
// A phone number is a run of at least 7 and at most 20 digits, separated by
// spaces, '.', '-', '/' or parentheses, optionally led by '+'. Spelled-out
// digits count ("five five five …" was normalised to digits). It is not a
// phone number when it is glued to letters ("ES2015", "1920x1080"), part of
// a larger number ("1,500,000", "1234567.89"), followed by '%' or a unit
// ("1500000 users"), led by '#', masked by maskRe (dates, year ranges,
// money, IPs, round quantities), or when it is a year followed by one
// other number ("in 2023 1500 …").
func (d *detector) phoneAt(i int) (a, e, next int, ok bool) {
	m := d.mask()
	if i > 0 {
		p := m[i-1]
		if isWordByte(p) || p == '#' || p == '+' || p == '~' || p == '$' {
			return 0, 0, i + 1, false
		}
		if (p == '.' || p == ',' || p == ':') && i > 1 && isDigit(m[i-2]) {
			return 0, 0, i + 1, false // "1.5551234", "2:7142601"
		}
		if (p == '-' || p == '/') && i > 1 && isWordByte(m[i-2]) {
			return 0, 0, i + 1, false // "CVE-2024-12345", "/v1/1234567"
		}
	}
	for {
		r, found := d.scanRun(i)
		if !found {
			return 0, 0, i + 1, false
		}
		// Resuming after the whole run keeps the scan linear.
		next = r.e
		if r.digits < 7 {
			return 0, 0, next, false
		}
		if r.groups == 2 && r.spaceOnly && r.firstLen == 4 && !r.leadingPlus &&
			(bytes.HasPrefix(m[r.a:], []byte("19")) || bytes.HasPrefix(m[r.a:], []byte("20"))) {
			i = r.second // "2023 1500 …": try again after the year
			continue
		}
		if r.digits > 20 || (r.onlyDot && r.lastLen <= 2) || r.version ||
			(r.groups >= 3 && r.ascending) || (r.groups >= 2 && r.allYears) {
			return 0, 0, next, false
		}
		if d.notPhone(r) {
			return 0, 0, next, false
		}
		e := r.e
		if e < len(m) {
			q := m[e]
			if isWordByte(q) || q == '%' || q == '+' || q == '~' || q == '$' {
				return 0, 0, next, false
			}
			if (q == '.' || q == ',') && e+1 < len(m) && isDigit(m[e+1]) {
				return 0, 0, next, false
			}
		}
		j := e
		for j < len(m) && m[j] == ' ' {
			j++
		}
		k := j
		for k < len(m) && isLower(m[k]) {
			k++
		}
		if k > j && units[string(m[j:k])] {
			return 0, 0, next, false
		}
		a := r.a
		if r.openParen && m[a] == '(' {
			a++
		}
		return a, e, next, true
	}
}

// phones finds phone numbers not claimed by an earlier detector.
func (d *detector) phones() {
	m := d.mask()
	for i := 0; i < len(m); {
		c := m[i]
		if d.occ[i] || !(isDigit(c) || c == '+' || c == '(') {
			i++
			continue
		}
		a, e, next, ok := d.phoneAt(i)
		if ok {
			d.add(a, e, Phone)
		}
		i = max(next, i+1)
	}
}

// ---------------------------------------------------------------------------
// Standalone @handles.

// handles finds "@handle" outside email addresses. Decision: an @word counts
// as a messenger handle only when it is handle-shaped (two or more letters
// and a digit or '_': "@bob_smith", "@bob1987"), or when a messenger name
// or a contact phrase ("ping me", "find me", "my handle"…) precedes it
// within 40 characters ("insta: @bob.art", "ping me @bob"). A plain "@word" on its own is allowed,
// because developers write "@media", "@Override", "@Component" or "@types"
// in proposals all the time; npm scopes ("@angular/core") and decorators
// with arguments ("@Input()") never count. A handle must have 3 to 30
// characters and start with a letter or '_'.
func (d *detector) handles() {
	b := d.b
	for i := 0; i < len(b); i++ {
		if b[i] != '@' || d.occ[i] || d.n.flags[i]&fSpelled != 0 {
			continue
		}
		if i > 0 && (isWordByte(b[i-1]) || b[i-1] == '.' || b[i-1] == '@') {
			continue
		}
		h := i + 1
		if h >= len(b) || !(isLower(b[h]) || b[h] == '_') {
			continue
		}
		e := h
		for e < len(b) && !d.occ[e] && (isWordByte(b[e]) ||
			(b[e] == '.' && e+1 < len(b) && isWordByte(b[e+1]) && !d.occ[e+1] && !d.n.origUpper(e+1))) {
			e++
		}
		if e-h < 3 || e-h > 30 {
			continue
		}
		if e < len(b) && (b[e] == '/' || b[e] == '(' || b[e] == '@') {
			continue
		}
		letters, shaped := 0, false
		for _, c := range b[h:e] {
			switch {
			case isLower(c):
				letters++
			case isDigit(c) || c == '_':
				shaped = true
			}
		}
		if !(shaped && letters >= 2) && !d.contactContext(i) {
			continue
		}
		if d.add(i, e, Messenger) {
			i = e - 1
		}
	}
}

// contactContext reports whether a messenger name or a contact phrase
// appears in the 40 bytes before i.
func (d *detector) contactContext(i int) bool {
	found := false
	d.eachKeyword(max(0, i-40), i, func(int, int, string) bool {
		found = true
		return false
	})
	if found {
		return true
	}
	w := d.b[max(0, i-40):i]
	for _, p := range contactPhrases {
		for off := 0; ; {
			k := bytes.Index(w[off:], []byte(p))
			if k < 0 {
				break
			}
			k += off
			if (k == 0 || !isWordByte(w[k-1])) && (k+len(p) == len(w) || !isWordByte(w[k+len(p)])) {
				return true
			}
			off = k + 1
		}
	}
	return false
}

// runGroups returns the digit groups of the run m[a:e] and the separators
// between them.
func runGroups(m []byte, a, e int) (groups, seps [][]byte) {
	for i := a; i < e; {
		j := i
		for j < e && isDigit(m[j]) {
			j++
		}
		if j > i {
			groups = append(groups, m[i:j])
			i = j
			continue
		}
		for j < e && !isDigit(m[j]) {
			j++
		}
		if len(groups) > 0 {
			seps = append(seps, m[i:j])
		}
		i = j
	}
	return groups, seps
}

func groupValue(g []byte) int {
	v := 0
	for _, c := range g[:min(len(g), 9)] {
		v = v*10 + int(c-'0')
	}
	return v
}

// notPhone tells a run of at least 7 digits that is something else from a
// phone number: an identifier after its label ("ISBN …", "invoice …",
// "order #…", "SKU …"), an ISBN by its check digit, an identifier led by a
// year ("2026-000123", "2025-118"), an Amazon order number (3-7-7), a range
// of equal-length numbers ("1500-2500", "0900-1700"), a list of numbers
// ("45 50 55 60", "1002 1004 1007"), round numbers ("300 / 300 / 400"), a
// number with thousands separated by spaces ("8 336 817") or a decimal
// number ("3.1415926"). Digits spelled out as words are always a phone
// number: nobody writes lists in words. A phone word before the run
// ("call", "number", "whatsapp"…) keeps lists and ranges phone numbers.
func (d *detector) notPhone(r phoneRun) bool {
	m := d.mask()
	for k := r.a; k < r.e; k++ {
		if d.n.flags[k]&fDigitWord != 0 {
			return false
		}
	}
	groups, seps := runGroups(m, r.a, r.e)
	if len(groups) == 0 {
		return false
	}
	label, phoneWord := d.labelBefore(r.a)
	if label {
		return true
	}
	var digits []byte
	for _, g := range groups {
		digits = append(digits, g...)
	}
	if isbn13(digits) || (len(digits) == 10 && len(groups) == 4 && isbn10(digits)) {
		return true
	}
	hard := func(i int) byte { // the hard separator after group i, or 0
		for _, c := range seps[i] {
			if c == '-' || c == '/' || c == '.' {
				return c
			}
		}
		return 0
	}
	g0 := groups[0]
	if len(groups) >= 2 && len(g0) == 4 && (hard(0) == '-' || hard(0) == '/') && !r.leadingPlus {
		if v := groupValue(g0); v >= 1900 && v < 2100 {
			return true // "2026-0001-0042", "2025-118", "2026/118"
		}
	}
	if len(groups) == 3 && len(g0) == 3 && len(groups[1]) == 7 && len(groups[2]) == 7 && hard(0) == '-' {
		return true // "114-9081726-5544332"
	}
	if len(groups) >= 2 && hard(0) == '.' && len(g0) <= 3 && len(groups[1]) >= 5 {
		return true // "3.1415926535"
	}
	if phoneWord || r.leadingPlus {
		return false
	}
	if len(groups) == 2 && hard(0) == '-' && len(g0) == len(groups[1]) && len(g0) >= 3 && len(g0) <= 5 &&
		groupValue(groups[1]) > groupValue(g0) {
		return true // "1500-2500", "0900-1700"
	}
	round, ascending, noZero, short := true, true, true, false
	for i, g := range groups {
		if len(g) < 3 || !bytes.HasSuffix(g, []byte("00")) {
			round = false
		}
		if g[0] == '0' {
			noZero = false
		}
		if len(g) < 2 {
			short = true
		}
		if i > 0 && groupValue(g) <= groupValue(groups[i-1]) {
			ascending = false
		}
	}
	if round && len(groups) >= 2 {
		return true
	}
	if len(groups) >= 3 && len(g0) <= 2 && g0[0] != '0' {
		thousands := 0
		for k := 1; k < len(groups) && len(groups[k]) == 3 && string(seps[k-1]) == " "; k++ {
			thousands = k
		}
		if thousands >= 2 && (thousands == len(groups)-1 || string(seps[thousands]) != " ") {
			return true // "8 336 817", "8 336 817 (2019)"
		}
	}
	if !r.spaceOnly {
		return false
	}
	equal := true
	for _, g := range groups {
		if len(g) != len(g0) {
			equal = false
		}
	}
	// Lists: "45 50 55 60", "8000 12000 15500", but not "55 4321 8765".
	if ascending && noZero && !short && len(groups) >= 2 && (equal || len(g0) >= 3) {
		return true // "45 50 55 60", "1002 1004 1007 1009"
	}
	if len(groups) >= 5 && len(digits) > 13 {
		return true // "98 97 95 99 100 96 94"
	}
	return false
}

// labelBefore looks at the three words before position a for an
// identifier's label ("invoice", "order", "ISBN", "SKU"…) or a phone word
// ("call", "phone", "number"…); a label wins.
func (d *detector) labelBefore(a int) (label, phoneWord bool) {
	b := d.b
	i := a
	for w := 0; w < 3 && i > 0 && a-i < 40; {
		for i > 0 && !isLower(b[i-1]) && a-i < 40 {
			i--
		}
		j := i
		for j > 0 && isLower(b[j-1]) {
			j--
		}
		if j == i {
			break
		}
		if idLabels[string(b[j:i])] {
			return true, false
		}
		if phoneWords[string(b[j:i])] {
			phoneWord = true
		}
		i = j
		w++
	}
	return false, phoneWord
}

func isbn13(d []byte) bool {
	if len(d) != 13 || !(bytes.HasPrefix(d, []byte("978")) || bytes.HasPrefix(d, []byte("979"))) {
		return false
	}
	sum := 0
	for i, c := range d {
		v := int(c - '0')
		if i%2 == 1 {
			v *= 3
		}
		sum += v
	}
	return sum%10 == 0
}

func isbn10(d []byte) bool {
	sum := 0
	for i, c := range d {
		sum += (10 - i) * int(c-'0')
	}
	return sum%11 == 0
}

func hasDigit(b []byte) bool {
	for _, c := range b {
		if isDigit(c) {
			return true
		}
	}
	return false
}

// providerEmails finds addresses written without a domain: a user name, an
// '@' or "at", and a well-known mailbox provider ("johndoe at gmail",
// "jdoe @gmail"), or a user name followed by the provider in parentheses
// ("johndoe (gmail)"). The user name must not be an ordinary word ("I
// worked at Yahoo").
func (d *detector) providerEmails() {
	b := d.b
	for i := 0; i < len(b); i++ {
		if !isLower(b[i]) || (i > 0 && isWordByte(b[i-1])) {
			continue
		}
		j := i
		for j < len(b) && isLower(b[j]) {
			j++
		}
		if !unambiguousProviders[string(b[i:j])] || (j < len(b) && isWordByte(b[j])) || d.occ[i] {
			i = j
			continue
		}
		p := i
		paren := false
		switch {
		case p > 0 && b[p-1] == '@':
			p--
		case p > 0 && b[p-1] == '(' && j < len(b) && b[j] == ')':
			p--
			paren = true
		default:
			i = j
			continue
		}
		for p > 0 && b[p-1] == ' ' {
			p--
		}
		he := p
		hs := he
		for hs > 0 && (isWordByte(b[hs-1]) || (b[hs-1] == '.' && hs > 1 && isWordByte(b[hs-2]))) {
			hs--
		}
		h := b[hs:he]
		if len(h) >= 3 && !stopwords[string(h)] && hasLetter(h) && d.free(hs, j) {
			end := j
			if paren {
				end++
			}
			d.add(hs, end, Email)
		}
		i = j
	}
}
