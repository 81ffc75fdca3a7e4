package receipt

import (
	"bytes"
	"errors"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// ESC/POS: the receipt as a job for a thermal printer driven raw, over USB
// or TCP port 9100 (Epson TM-T82 and the many printers that speak its
// command set). It carries the same words as the PDF receipt, the tracking
// code large, and the tracking URL as a native QR code (GS ( k), which the
// printer draws itself at its full resolution.
//
// The job is plain ASCII: accents are dropped ("é" → "e") and other
// characters become "?", because the printers' default code page (PC437)
// has no Indonesian-specific letters anyway and other code pages differ
// from model to model.

// ESC/POS command bytes.
const (
	esc = 0x1b
	gs  = 0x1d
)

// escposSpec is one roll's measures: characters per line in font A, and
// the QR module size in dots.
type escposSpec struct {
	cols, module int
}

var escposSpecs = map[Format]escposSpec{
	Format58: {cols: 32, module: 5}, // 384 dots
	Format80: {cols: 48, module: 7}, // 576 dots
}

// ErrESCPOSFormat is returned for a paper that is not a thermal roll.
var ErrESCPOSFormat = errors.New("receipt: ESC/POS is for 58mm or 80mm rolls")

// ESCPOS returns r as an ESC/POS job for a roll of width f (58mm, 80mm).
func ESCPOS(r Receipt, f Format) ([]byte, error) {
	spec, ok := escposSpecs[f]
	if !ok {
		return nil, ErrESCPOSFormat
	}
	lang := r.Lang
	j := &escposJob{cols: spec.cols}
	j.raw(esc, '@')    // initialise
	j.raw(esc, 't', 0) // code page PC437
	j.raw(esc, 'a', 1) // centre
	j.bold(true)
	j.wrapped(r.Office.Name)
	j.bold(false)
	j.wrapped(r.Office.Address)
	var contact []string
	for _, s := range []string{r.Office.Phone, r.Office.Email} {
		if s != "" {
			contact = append(contact, s)
		}
	}
	j.wrapped(strings.Join(contact, " · "))
	j.rule()
	j.bold(true)
	j.wrapped(label(lang, "title"))
	j.bold(false)
	j.wrapped(label(lang, "code"))
	j.raw(gs, '!', 0x11) // double width and height
	j.bold(true)
	j.line(ascii(r.TrackingCode))
	j.bold(false)
	j.raw(gs, '!', 0x00)
	j.rule()

	j.raw(esc, 'a', 0) // left
	for _, row := range [][2]string{
		{label(lang, "received"), r.Received}, {label(lang, "type"), r.Type}, {label(lang, "category"), r.Category},
		{label(lang, "subject"), r.Title}, {label(lang, "channel"), r.Channel}, {label(lang, "deadline"), r.Deadline},
		{label(lang, "lapor"), r.LaporID}, {label(lang, "hub"), r.HubID},
	} {
		if strings.TrimSpace(row[1]) != "" {
			j.wrapped(row[0] + ": " + row[1])
		}
	}
	j.raw(esc, 'a', 1)
	switch {
	case strings.TrimSpace(r.PIN) != "":
		j.rule()
		j.wrapped(label(lang, "pin"))
		j.raw(gs, '!', 0x11)
		j.bold(true)
		j.line(ascii(r.PIN))
		j.bold(false)
		j.raw(gs, '!', 0x00)
		j.wrapped(label(lang, "pin.secret"))
	case r.Copy:
		j.rule()
		j.bold(true)
		j.wrapped(label(lang, "copy"))
		j.bold(false)
		j.wrapped(label(lang, "copy.pin"))
	}
	j.rule()
	if r.TrackURL != "" {
		j.qr(r.TrackURL, spec.module)
		j.wrapped(label(lang, "track"))
		j.bold(true)
		j.wrapped(r.TrackURL)
		j.bold(false)
	}
	j.wrapped(label(lang, "keep"))
	j.raw(esc, 'd', 4)    // feed four lines past the cutter
	j.raw(gs, 'V', 66, 0) // partial cut
	return j.buf.Bytes(), nil
}

// escposJob builds a job line by line.
type escposJob struct {
	buf  bytes.Buffer
	cols int
}

func (j *escposJob) raw(b ...byte) { j.buf.Write(b) }

func (j *escposJob) bold(on bool) {
	if on {
		j.raw(esc, 'E', 1)
	} else {
		j.raw(esc, 'E', 0)
	}
}

func (j *escposJob) line(s string) {
	j.buf.WriteString(s)
	j.buf.WriteByte('\n')
}

func (j *escposJob) rule() { j.line(strings.Repeat("-", j.cols)) }

// wrapped prints s in lines of at most cols characters, broken at spaces
// (a word longer than a line, such as a URL, is cut after its last "/"
// that fits, else where the line ends).
func (j *escposJob) wrapped(s string) {
	s = ascii(strings.TrimSpace(s))
	if s == "" {
		return
	}
	for _, l := range wrapCols(s, j.cols) {
		j.line(l)
	}
}

func wrapCols(s string, cols int) []string {
	var out []string
	line := ""
	for _, w := range strings.Fields(s) {
		for len(w) > cols { // a long word: fill the line, then cut
			if line != "" {
				out = append(out, line)
				line = ""
			}
			cut := cols
			if k := strings.LastIndexByte(w[:cols], '/'); k > 0 {
				cut = k + 1
			}
			out = append(out, w[:cut])
			w = w[cut:]
		}
		switch {
		case line == "":
			line = w
		case len(line)+1+len(w) <= cols:
			line += " " + w
		default:
			out = append(out, line)
			line = w
		}
	}
	if line != "" {
		out = append(out, line)
	}
	return out
}

// qr prints data as a QR code (model 2, error correction M) with the
// printer's own QR command, GS ( k.
func (j *escposJob) qr(data string, module int) {
	d := []byte(data)
	if len(d) > 7000 {
		d = d[:7000]
	}
	j.raw(gs, '(', 'k', 4, 0, 49, 65, 50, 0)        // function 165: model 2
	j.raw(gs, '(', 'k', 3, 0, 49, 67, byte(module)) // function 167: module size
	j.raw(gs, '(', 'k', 3, 0, 49, 69, 49)           // function 169: error correction M
	n := len(d) + 3
	j.raw(gs, '(', 'k', byte(n%256), byte(n/256), 49, 80, 48) // function 180: store
	j.buf.Write(d)
	j.raw(gs, '(', 'k', 3, 0, 49, 81, 48) // function 181: print
	j.raw('\n')
}

// ascii folds s to printable ASCII: accents dropped, dashes and quotes
// made plain, anything else "?".
func ascii(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == '\n' || r == '\t':
			b.WriteByte(' ')
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		case r == '–' || r == '—' || r == '−':
			b.WriteByte('-')
		case r == '‘' || r == '’':
			b.WriteByte('\'')
		case r == '“' || r == '”':
			b.WriteByte('"')
		case r == '·' || r == '•':
			b.WriteByte('-')
		case r == '…':
			b.WriteString("...")
		case unicode.IsSpace(r):
			b.WriteByte(' ')
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}
