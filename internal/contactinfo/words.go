package contactinfo

import (
	"bytes"
	"strings"
)

func set(words string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// knownTLDs are the top-level domains accepted for bare domains
// ("example.com") and for spelled-out addresses ("bob at example dot com").
// It is deliberately a curated list rather than the full IANA list: TLDs
// that collide with file extensions or code (js, py, sh, md, rs, pl, ts, so,
// zip, mov, name, id) or with common short words (is, am, do, to, no, my) are
// left out, so "Node.js", "setup.py", "README.md" or "this.name" are not
// URLs. Addresses written with an explicit scheme or "www." need no TLD
// check at all.
var knownTLDs = set(`
com net org edu gov mil int io co dev app me info biz us uk de ru in ai
ca au fr es it nl be ch at se dk fi cz sk hu ro bg gr pt ie lt lv ee si hr
rf rus ukr moskva art
jp cn kr tw hk sg ph th vn nz za br mx ar cl pe tr ua kz il ae sa eg ng ke pk
bd lk np eu asia tv fm ly gg cc ws xyz site online store shop tech club pro
mobi website space cloud agency studio digital page link live blog
design`)

// pathTLDs are country TLDs left out of knownTLDs because they are also
// words or file extensions; followed by a path ("notion.so/bob",
// "linktr.ee/bob") they make a link.
var pathTLDs = set(`so to is am do no my id pl sh ms la gl ly mn ee st gd`)

// fileExtensions are never a TLD of an email address written with a real
// '@' ("icon@2x.png" is an asset name, not an address).
var fileExtensions = set(`
png jpg jpeg gif svg webp bmp ico tif tiff heic pdf doc docx xls xlsx ppt
pptx odt txt rtf csv tsv json xml yaml yml toml ini html htm css scss sass less js
mjs cjs ts jsx tsx vue svelte md go py rb php java kt kts swift c h cc cpp hpp
cs rs sh bash zsh ps1 bat exe dll so dylib zip rar gz tgz tar bz2 xz mp3 mp4
wav mov avi mkv psd ai sketch fig xd apk ipa dmg jar war lock log sql db`)

// techNames are library and framework names that are also syntactically
// domains ("ASP.NET", "Socket.io").
var techNames = set(`asp.net ado.net vb.net ml.net dot.net socket.io`)

// mailProviders are well-known mailbox domains (the label before the TLD,
// or the whole domain after a real '@': "bob@gmail").
var mailProviders = set(`
gmail googlemail yahoo ymail rocketmail hotmail outlook live msn aol icloud
mac me protonmail proton pm gmx yandex ya mail zoho fastmail tutanota tuta qq
163 126 rediffmail inbox hey mailbox posteo`)

// messengerHosts are hosts whose links open a messenger conversation; links
// to them are reported as Messenger rather than URL.
var messengerHosts = set(`
wa.me t.me telegram.me telegram.dog discord.gg m.me ig.me signal.me
signal.group line.me lin.ee chat.whatsapp.com api.whatsapp.com wa.link
join.skype.com u.wechat.com weixin.qq.com invite.viber.com msng.link
qm.qq.com kik.me threema.id zalo.me open.kakao.com join.slack.com`)

// stopwords are ordinary words that are never accepted as the local part of
// a spelled-out address ("look at example dot com"), as the label before a
// spelled-out dot ("the dot com era") or as a messenger handle ("Skype:
// available", "Telegram: bots").
var stopwords = set(`
a an the i me my mine we us our you your he him his she her it its they them
their this that these those here there who whom what which when where why how
is am are was were be been being do does did have has had will would can could
should shall may might must not no yes ok okay and or but if so as of in on at
by for with from to into onto over under up down out off about after before
since until till during while than then too also very just only even still
all any some each every both either neither none more most less least much many
few other another such same own
available anytime anyway always usually daily weekly now later soon today
tonight tomorrow yesterday morning afternoon evening night weekend weekends
monday tuesday wednesday thursday friday saturday sunday
mon tue tues wed thu thur thurs fri sat sun
january february march april june july august september october november december
please thanks thank hi hello hey dear sir madam regards cheers best kind
fine great good nice better preferred prefer preferably works work working
worked look looking looked find found reach reached contact contacted email
emails mail write text texting call calls calling called chat chats chatting
meet meeting meetings video voice audio message messages messaging ping
based located live lives living team teams group groups channel channels
community communities server servers bot bots api apis sdk app apps web
desktop mobile integration integrations integrate integrated automation
automations development developer developers business premium mini clone
clients client support marketing ads ad campaign campaigns account accounts
number numbers profile profiles page pages id ids handle username user users
link links verification login sign signup experience expert
familiar use used using via platform platforms tool tools stack only instead
etc either ready open happy glad sure fast quick quickly directly privately
free paid official site sites website websites portfolio blog store shop
company studio agency office home
reels stories story posts post feed feeds influencer influencers followers likes
filters filter lens lenses video videos stream streams streaming stickers sticker
notifications notification webhook webhooks widget plugin clones chatbot chatbots
ads ad shop shops templates template rendering inbox inboxes address addresses`)

// designFiles are names that, before ".ai", denote an Adobe Illustrator
// file rather than a domain ("logo.ai").
var designFiles = set(`logo logos file files design designs artwork art vector
vectors icon icons illustration illustrations source final draft banner
poster flyer mockup print layout template brand sticker label card cover
pattern graphic graphics drawing sketch export asset assets`)

// messengerKeywords name messengers and social networks whose handles are
// contact information. The value is true for ambiguous names that are also
// ordinary words ("signal", "line", "slack", "teams", "zoom"…); those only
// introduce a handle with an explicit "id"/"handle"/"username", an
// "@handle" or a phone number.
var messengerKeywords = map[string]bool{
	"skype": false, "whatsapp": false, "telegram": false, "discord": false,
	"wechat": false, "weixin": false, "viber": false, "snapchat": false,
	"instagram": false, "insta": false, "twitter": false, "facebook": false,
	"linkedin": false, "tiktok": false, "threema": false, "wickr": false,
	"zalo": false, "kakaotalk": false, "kakao": false, "hangouts": false,
	"gchat": false, "imessage": false, "facetime": false, "icq": false,
	"keybase": false, "mastodon": false,
	"signal": true, "line": true, "slack": true, "kik": true, "snap": true,
	"ig": true, "fb": true, "messenger": true, "qq": true, "imo": true,
	"teams": true, "zoom": true, "session": true, "tg": true, "wa": true,
	"hangout": true,
	// Misspellings and look-alikes users write to get past filters.
	"sk1pe": false, "skipe": false, "skyp": false, "skpe": false, "skaip": false,
	"telegran": false, "telegrm": false, "telgram": false, "telegramm": false, "teleg": false,
	"whatsap": false, "watsapp": false, "watsap": false, "whatapp": false, "whtsapp": false,
	"wsp": false, "wpp": false, "zap": true, "lnstagram": false, "instagr4m": false, "discrod": false,
	"disc0rd": false, "snapchatt": false, "vk": true,
	// Mailbox providers: a handle after them is an email address.
	"gmail": false, "yahoo": false, "hotmail": false, "protonmail": false, "icloud": false,
	"yandex": false, "outlook": true,
}

// mailKeywords are the messengerKeywords that are mailbox providers: what
// follows them is reported as an email address.
var mailKeywords = set(`gmail yahoo hotmail protonmail icloud yandex outlook`)

// shortNames are ambiguous messenger names that a handle-shaped word right
// after still makes a handle ("IG mariabakes_official", "kik me at jenny2000").
var shortNames = set(`ig kik tg fb snap qq imo wa vk`)

// unambiguousProviders are mailbox providers that, after an '@' or "at",
// make an address even without a TLD ("johndoe at gmail").
var unambiguousProviders = set(`gmail googlemail yahoo ymail hotmail protonmail icloud yandex gmx aol rediffmail`)

// Connector words between a messenger name and a handle ("skype id bob",
// "whatsapp me at …", "my telegram is …"). Strong connectors announce a
// handle; weak ones merely may stand in between.
var (
	strongConnectors = set(`id handle username nick nickname login address`)
	weakConnectors   = set(`is me us at on via or and add name user account acc as
number num no nr contact call text message msg ping dm my profile channel or
app`)
)

// contactPhrases make a following standalone "@word" a handle
// ("ping me @bob"); they match whole words only.
var contactPhrases = []string{
	"find me", "reach me", "contact me", "add me", "ping me", "dm me",
	"message me", "msg me", "text me", "follow me", "hit me up", "my handle",
	"handle is", "username", "user name", "my id", "my nick", "write me",
	"write to me",
}

// units are words after a number that make it a quantity, not a phone
// number ("1500000 users").
var units = set(`
users user customers clients downloads installs views visitors visits
followers subscribers members records rows lines words characters chars pages
items products requests transactions orders messages impressions clicks leads
sales units copies people employees tokens parameters params images files
documents points times hours hrs minutes mins seconds secs ms days weeks
months years km miles kg lbs bytes kb mb gb tb px dpi rpm dollars usd eur
euros gbp pounds rupees inr rubles yen`)

// idLabels are words that introduce an identifier rather than a phone
// number ("ISBN 978-…", "invoice 2026-0001-0042", "order #112-…").
var idLabels = set(`isbn issn invoice invoices inv order orders po sku skus ean gtin upc asin
case ticket tickets ref reference receipt contract student mrn lot batch container
hs serial sn tracking docket patent policy build commit vat account acct
transaction txn booking pnr awb shipment parcel isin duns ein`)

// phoneWords before a run of digits make it a phone number even when it
// looks like a list or a range.
var phoneWords = set(`call phone tel telephone mobile mob cell cellphone number num no nr
whatsapp whats wa text sms ring dial contact reach zap wsp viber signal telegram
numero nummer handynummer cellulare telefone telefono`)

// wellKnownBrands are companies whose name is their domain; written bare
// ("Amazon.com", "worked for Booking.com") they name a company, not a link.
// With a path, "www." or a scheme they are links again.
var wellKnownBrands = set(`amazon.com amazon.co.uk amazon.de amazon.in booking.com hotels.com expedia.com
salesforce.com overstock.com monster.com alibaba.com cars.com realtor.com ancestry.com
shutterstock.com match.com walmart.com ebay.com etsy.com target.com indeed.com glassdoor.com
zillow.com airbnb.com trivago.com priceline.com kayak.com agoda.com zappos.com wayfair.com
bestbuy.com homedepot.com lowes.com costco.com macys.com nordstrom.com chewy.com
grubhub.com doordash.com ticketmaster.com stubhub.com weather.com
dictionary.com about.com answers.com archive.org wikipedia.org craigslist.org
mail.ru ozon.ru wildberries.ru avito.ru flipkart.com snapdeal.com rakuten.com
mercadolibre.com aliexpress.com temu.com shein.com`)

// wellKnownBrand reports whether host (lower case) is a well-known brand,
// also after a prefix such as "ex-".
func wellKnownBrand(host []byte) bool {
	if wellKnownBrands[string(host)] {
		return true
	}
	if i := bytes.IndexByte(host, '-'); i > 0 && i <= 4 {
		return wellKnownBrands[string(host[i+1:])]
	}
	return false
}
