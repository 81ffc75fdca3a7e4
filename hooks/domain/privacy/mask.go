package privacy

import (
	"regexp"
	"strings"
)

// Mask hides the personal numbers people type into the free text of a
// report before it goes public (the reporter's own title and body, the
// location, notes on the public timeline): a NIK-like number (16 digits)
// keeps its first 4 digits (province and regency, which the office's
// area tells anyway); a phone-like number (9 to 15 digits that start with
// 0, 62 or +) keeps its first and last 4 (0812****7890); an e-mail-like
// string keeps its first letter and its top-level domain
// (s***@***.id). Everything else is left as typed: dates, amounts and
// house numbers have fewer digits or do not start like a phone number.
func Mask(s string) string {
	if s == "" {
		return s
	}
	s = emailLike.ReplaceAllStringFunc(s, maskEmail)
	return numberLike.ReplaceAllStringFunc(s, maskNumber)
}

var (
	// An address, and any "@more" glued to it: a@b.id@c.id is masked as
	// one, so its masked form can never be read as a new address.
	emailLike = regexp.MustCompile(`[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+(?:@[\p{L}\p{N}.-]*)*`)
	// A run of digits, maybe with a leading +, spaces, dots, dashes and
	// brackets between them (0812-3456-7890, +62 812 3456 7890,
	// (021) 555 1234).
	// A '*' joins a run too, so that an already masked number
	// (0812****7890) is seen whole and never re-read as a new one.
	numberLike = regexp.MustCompile(`\+?\(?[\d*](?:[\d .()\-*]*[\d*])?`)
)

func maskEmail(m string) string {
	at := strings.IndexByte(m, '@')
	local, domain := []rune(m[:at]), m[at+1:]
	if next := strings.IndexByte(domain, '@'); next >= 0 {
		domain = domain[:next]
	}
	tld := domain[strings.LastIndexByte(domain, '.'):]
	return string(local[0]) + "***@***" + tld
}

// maskNumber masks a run of digits when it is, or when a stretch of its
// space-separated groups is, a NIK or a phone number: "No 12 0812 3456
// 7890" masks the phone and keeps the 12.
func maskNumber(m string) string {
	if !strings.Contains(m, "*") {
		if out, ok := maskWhole(m); ok {
			return out
		}
	}
	return bareDigits.ReplaceAllStringFunc(maskUnstarred(m), func(run string) string {
		// A run typed without separators inside a longer match, as in
		// "1(081234567890": it is a number by itself.
		if out, ok := maskWhole(run); ok {
			return out
		}
		return run
	})
}

var bareDigits = regexp.MustCompile(`\d+`)

// maskUnstarred runs maskGroups on each stretch of groups that holds no '*':
// a group with a star was masked before, and its last four digits must not
// join the next group into a new "number".
func maskUnstarred(m string) string {
	groups := strings.Split(m, " ")
	var out, plain []string
	flush := func() {
		if len(plain) > 0 {
			out = append(out, maskGroups(strings.Join(plain, " ")))
			plain = plain[:0]
		}
	}
	for _, g := range groups {
		if strings.Contains(g, "*") {
			flush()
			out = append(out, g)
			continue
		}
		plain = append(plain, g)
	}
	flush()
	return strings.Join(out, " ")
}

// maskGroups masks the longest stretches of space-separated groups that are
// one NIK or phone number.
func maskGroups(m string) string {
	groups := strings.Split(m, " ")
	var b strings.Builder
	for i := 0; i < len(groups); {
		end, masked := -1, ""
		// A number typed in groups has at most 16 digits in a few groups
		// (3201 2345 6789 0001, +62 812 3456 7890); the bound keeps a long
		// text linear.
		for j := i; j < len(groups) && j-i < maxGroups && digitCount(groups[i:j]) <= 16; j++ {
			if out, ok := maskWhole(strings.Join(groups[i:j+1], " ")); ok {
				end, masked = j, out
			}
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		if end < 0 {
			b.WriteString(groups[i])
			i++
			continue
		}
		b.WriteString(masked)
		i = end + 1
	}
	return b.String()
}

const maxGroups = 8

func digitCount(groups []string) (n int) {
	for _, g := range groups {
		for i := 0; i < len(g); i++ {
			if g[i] >= '0' && g[i] <= '9' {
				n++
			}
		}
	}
	return n
}

// maskWhole masks m when it is one NIK-like or phone-like number.
func maskWhole(m string) (string, bool) {
	var digits []byte
	for i := 0; i < len(m); i++ {
		if m[i] >= '0' && m[i] <= '9' {
			digits = append(digits, m[i])
		}
	}
	d := string(digits)
	plus := strings.HasPrefix(strings.TrimLeft(m, "("), "+")
	switch {
	case len(d) == 16 && !plus:
		return d[:4] + strings.Repeat("*", 12), true
	case len(d) >= 9 && len(d) <= 15 && (plus || d[0] == '0' || strings.HasPrefix(d, "62")):
		prefix := ""
		if plus {
			prefix = "+"
		}
		return prefix + d[:4] + strings.Repeat("*", len(d)-8) + d[len(d)-4:], true
	case len(d) > 16 && !strings.Contains(m, " "):
		// Numbers typed together, an account number: nothing of them is
		// worth showing.
		return strings.Repeat("*", len(d)), true
	}
	return m, false
}
