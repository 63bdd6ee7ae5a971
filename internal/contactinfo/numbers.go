package contactinfo

import "strings"

// numKind classifies a number word.
type numKind uint8

const (
	nkNone    numKind = iota
	nkUnit            // 0..9: one digit
	nkTeen            // 10..19: two digits
	nkTens            // 20, 30, … 90: one digit before a unit, else two
	nkHundred         // "hundred": two zeros
	nkRepeat          // "double", "triple": the next unit, repeated
)

type numWord struct {
	kind    numKind
	val     int  // the digit (units), the number (teens), the tens digit, the repeat count
	foreign bool // only read as a number inside a run of three or more
}

// numberLexicon holds number words as users spell phone numbers out: English
// (read as numbers everywhere, as before) and the common languages of the
// marketplace (Spanish, Portuguese, French, German, Italian, Dutch, Polish,
// Turkish, Indonesian, Russian and Ukrainian, Russian and Hindi
// transliterated), which are read as numbers only inside a run of three or
// more number words or digits, because many of them are also ordinary words
// ("do", "un", "sei", "tre", "null", "char", "lima", "sem").
//
// Words are looked up after normalisation to ASCII lower case (accents
// dropped: "três" → "tres", "fünf" → "funf", "dört" → "dort"); Cyrillic words
// are looked up as written (cyrillicWords).
var numberLexicon = func() map[string]numWord {
	m := map[string]numWord{}
	units := func(foreign bool, lists ...string) {
		for _, l := range lists {
			for d, ws := range strings.Split(l, "|") {
				for _, w := range strings.Fields(ws) {
					if _, dup := m[w]; !dup {
						m[w] = numWord{nkUnit, d, foreign}
					}
				}
			}
		}
	}
	series := func(kind numKind, start int, foreign bool, lists ...string) {
		for _, l := range lists {
			for k, ws := range strings.Split(l, "|") {
				for _, w := range strings.Fields(ws) {
					if _, dup := m[w]; !dup {
						m[w] = numWord{kind, start + k, foreign}
					}
				}
			}
		}
	}
	units(false, "zero|one|two|three|four|five|six|seven|eight|nine")
	series(nkTeen, 10, false, "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen")
	series(nkTens, 2, false, "twenty|thirty|forty fourty|fifty|sixty|seventy|eighty|ninety")
	m["hundred"] = numWord{kind: nkHundred}
	m["double"] = numWord{kind: nkRepeat, val: 2}
	m["triple"] = numWord{kind: nkRepeat, val: 3}
	units(true,
		// Spanish, Portuguese, Italian, French, German, Dutch, Polish,
		// Turkish, Indonesian, Russian and Hindi transliterated.
		"cero|uno una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve",
		"zero|um uma|dois duas|tres|quatro|cinco|seis meia|sete|oito|nove",
		"zero|uno|due|tre|quattro|cinque|sei|sette|otto|nove",
		"zero|un une|deux|trois|quatre|cinq|six|sept|huit|neuf",
		"null|eins|zwei|drei|vier|funf fuenf|sechs|sieben|acht|neun",
		"nul|een|twee|drie|vier|vijf|zes|zeven|acht|negen",
		"zero|jeden|dwa|trzy|cztery|piec|szesc|siedem|osiem|dziewiec",
		"sifir|bir|iki|uc|dort|bes|alti|yedi|sekiz|dokuz",
		"nol kosong|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan",
		"nol nul|odin|dva|tri|chetyre|pyat|shest|sem|vosem|devyat",
		"shunya shoonya sunya|ek|do|teen tin|char chaar|paanch panch|chhe chhah che chah|saat sat|aath|nau",
	)
	series(nkTeen, 10, true,
		"diez|once|doce|trece|catorce|quince",
		"dez|onze|doze|treze|catorze quatorze|quinze",
		"dieci|undici|dodici|tredici|quattordici|quindici",
		"dix|onze|douze|treize|quatorze|quinze|seize",
		"zehn|elf|zwolf zwoelf",
		"desyat",
	)
	series(nkTens, 2, true,
		"veinte|treinta|cuarenta|cincuenta|sesenta|setenta|ochenta|noventa",
		"vinte|trinta|quarenta|cinquenta|sessenta|setenta|oitenta|noventa",
		"venti|trenta|quaranta|cinquanta|sessanta|settanta|ottanta|novanta",
		"vingt|trente|quarante|cinquante|soixante",
		"zwanzig|dreissig|vierzig|funfzig|sechzig|siebzig|achtzig|neunzig",
		"dvadtsat|tridtsat|sorok|pyatdesyat|shestdesyat|semdesyat|vosemdesyat|devyanosto",
	)
	m["sto"] = numWord{nkUnit, 1, true}
	return m
}()

// cyrillicWords maps Cyrillic words, as written in lower case, to what they
// stand for: number words (Russian, Ukrainian), messenger names and the
// spelled-out '@' and '.' ("собака", "точка"), and Cyrillic top-level
// domains (so that "пример.рф" is read as a domain).
var cyrillicWords = func() map[string]string {
	m := map[string]string{}
	add := func(to string, words string) {
		for _, w := range strings.Fields(words) {
			m[w] = to
		}
	}
	add("nol", "ноль нуль")
	add("odin", "один одна одну")
	add("dva", "два две")
	add("tri", "три")
	add("chetyre", "четыре чотири")
	add("pyat", "пять")
	add("shest", "шесть шість")
	add("sem", "семь сім")
	add("vosem", "восемь вісім")
	add("devyat", "девять")
	add("desyat", "десять")
	add("dvadtsat", "двадцать")
	add("tridtsat", "тридцать")
	add("sorok", "сорок")
	add("pyatdesyat", "пятьдесят")
	add("shestdesyat", "шестьдесят")
	add("semdesyat", "семьдесят")
	add("vosemdesyat", "восемьдесят")
	add("devyanosto", "девяносто")
	add("sto", "сто")
	add("telegram", "телеграм телеграмм телега телеге телеграме тг")
	add("skype", "скайп скайпе")
	add("whatsapp", "ватсап вотсап вацап уатсап ватсапе вотсапе вацапе")
	add("viber", "вайбер вайбере")
	add("instagram", "инстаграм инста инсте")
	add("at", "собака")
	add("dot", "точка")
	add("rf", "рф")
	add("rus", "рус")
	add("ukr", "укр")
	add("moskva", "москва")
	add("online", "онлайн")
	add("site", "сайт")
	add("org", "орг")
	add("com", "ком")
	return m
}()

// idnTLDs maps top-level domains in other scripts to an ASCII stand-in in
// knownTLDs.
var idnTLDs = map[string]string{
	"中国": "cn", "中國": "cn", "公司": "com", "网络": "net", "在线": "online", "网址": "site",
	"한국": "kr", "日本": "jp", "香港": "hk", "台灣": "tw", "台湾": "tw",
}

// spelledJoiners are words that stand for '@' or '.' in obfuscated
// addresses, in several languages ("arroba", "arobase", "punto", "punkt").
var spelledJoiners = map[string]byte{
	"at": '@', "arroba": '@', "arobase": '@', "sobaka": '@',
	"slash": '/',
	"dot":   '.', "d0t": '.', "dawt": '.', "period": '.', "punto": '.', "ponto": '.', "punkt": '.', "tochka": '.',
}
