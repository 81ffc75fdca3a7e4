// Package vocab is Simpul's one catalog of words: every status, role,
// channel and type name, every page, PDF and notice string, in Bahasa
// Indonesia and English. Pages (ui), PDFs (ui/receipt, hooks/stats), the
// tracking API, exports and notices all read it.
//
// # Adding a string
//
// Add one line to the table of the file for its area (pages.go, staff.go,
// stats.go, …): the key, then Indonesian, then English:
//
//	"form.title": {"Buat laporan", "Make a report"},
//
// and use it with vocab.T(lang, "form.title") (templates: {{T "form.title"}}).
// A new area gets a new file with its own Table and one entry in tables
// below. Keys are unique over all tables (TestKeysAreUnique). A missing
// English text falls back to Indonesian; a missing key shows itself, so a
// gap is visible rather than blank. Status labels live in domain.go only.
//
// The catalog is also loaded into golang.org/x/text/message (already a
// dependency, so no new one as go-i18n would be): Sprintf formats a string
// with arguments through its Printer, the language-aware fmt.
package vocab

import (
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// Msg is one string: Indonesian first, English second (may be empty).
type Msg struct{ ID, EN string }

// Table is the strings of one area, by key.
type Table map[string]Msg

// The languages (the values of ?lang= and the lang cookie).
const (
	ID = "id"
	EN = "en"
)

// tables lists every area's table.
var tables = []Table{domain, start, pages, lapor, public, receipt, security, staff, stats, syncPage, frontdesk, settings, network}

var words, printers = build()

func build() (Table, map[string]*message.Printer) {
	all := Table{}
	b := catalog.NewBuilder(catalog.Fallback(language.Indonesian))
	for _, t := range tables {
		for k, m := range t {
			if _, dup := all[k]; dup {
				panic(fmt.Sprintf("vocab: key %q is defined twice", k))
			}
			all[k] = m
			must(b.SetString(language.Indonesian, k, m.ID))
			if m.EN != "" {
				must(b.SetString(language.English, k, m.EN))
			}
		}
	}
	return all, map[string]*message.Printer{
		ID: message.NewPrinter(language.Indonesian, message.Catalog(b)),
		EN: message.NewPrinter(language.English, message.Catalog(b)),
	}
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// T is key's text in lang (anything but "en" is Indonesian).
func T(lang, key string) string {
	m, ok := words[key]
	switch {
	case !ok:
		return key
	case lang == EN && m.EN != "":
		return m.EN
	}
	return m.ID
}

// Has reports whether key is in the catalog.
func Has(key string) bool {
	_, ok := words[key]
	return ok
}

// Sprintf formats key's text in lang with args ("Unit lain (%d)").
func Sprintf(lang, key string, args ...any) string {
	p := printers[ID]
	if lang == EN {
		p = printers[EN]
	}
	return p.Sprintf(key, args...)
}

// Translator is T for one language (templates' T function).
func Translator(lang string) func(string) string {
	return func(key string) string { return T(lang, key) }
}

// Status is the official label of status code in lang; an unknown code
// shows itself.
func Status(lang, code string) string { return T(lang, "status."+code) }

// Short is key's text in the form charts and tables use: KEY.short where
// there is one, else key's text.
func Short(lang, key string) string {
	if Has(key + ".short") {
		return T(lang, key+".short")
	}
	return T(lang, key)
}

// StatusShort is the label of status code in charts and tables.
func StatusShort(lang, code string) string { return Short(lang, "status."+code) }

// Num writes x with at most one decimal: a decimal comma in Indonesian
// ("12,5"), a point in English; a whole number without one ("12").
func Num(lang string, x float64) string {
	s := strings.TrimSuffix(strconv.FormatFloat(x, 'f', 1, 64), ".0")
	if lang == EN {
		return s
	}
	return strings.Replace(s, ".", ",", 1)
}

// Pct writes a percentage as Num does, with " %".
func Pct(lang string, p float64) string { return Num(lang, p) + " %" }

// Zone names an office time zone (IANA) the way Indonesians do: WITA for
// Asia/Makassar, WIT for Asia/Jayapura, else WIB.
func Zone(tz string) string {
	switch tz {
	case "Asia/Makassar":
		return "WITA"
	case "Asia/Jayapura":
		return "WIT"
	default:
		return "WIB"
	}
}

// Month is the name of month m (1–12) in lang; "" for another m.
func Month(lang string, m int) string {
	if m < 1 || m > 12 {
		return ""
	}
	if lang == EN {
		return months[1][m-1]
	}
	return months[0][m-1]
}

// Role is the name of staff role code in lang; an unknown role shows
// itself.
func Role(lang, code string) string {
	if Has("role." + code) {
		return T(lang, "role."+code)
	}
	return code
}
