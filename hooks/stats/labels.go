package stats

import (
	"strconv"
	"strings"

	"simpul/hooks/domain/vocab"
)

// Label names a breakdown key for people, in lang ("id" or "en"): channel,
// type, gender and status codes (in their short chart form, vocab.Short),
// "YYYY-MM" months, and the empty unit or category. Unit and category
// names come from the data instead. The words are vocab's.
func Label(lang, kind, key string) string {
	switch kind {
	case DimMonth:
		y, m, ok := strings.Cut(key, "-")
		if mi, err := strconv.Atoi(m); ok && err == nil && mi >= 1 && mi <= 12 {
			return vocab.Month(lang, mi) + " " + y
		}
		return key
	case DimUnit, DimCategory:
		if key == "" {
			return vocab.T(lang, kind+".none")
		}
		return key
	}
	if vocab.Has(kind + "." + key) {
		return vocab.Short(lang, kind+"."+key)
	}
	return key
}

// text is a string of the monthly report PDF in lang (vocab's monthly.*).
func text(lang, key string) string { return vocab.T(lang, "monthly."+key) }
