package receipt

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"sort"
	"sync"

	"github.com/jung-kurt/gofpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// Fonts: the Go fonts (golang.org/x/image/font/gofont, BSD licence), which
// cover Latin with its extensions, Greek, Cyrillic and the usual
// punctuation and symbols (WGL4).
//
// gofpdf's own UTF-8 path (AddUTF8FontFromBytes) costs several
// milliseconds per font per document (BenchmarkReceipt/80mm-gofpdf-utf8):
// it parses the whole TTF, JSON-encodes and hashes a 65,536-entry width
// table to name the font, subsets it, and compresses a 128 KB CIDToGIDMap,
// all again for every document. A receipt must take under 2 ms, so this
// file does that work once per process instead:
//
//   - each TTF is parsed once (tables, advance widths, cmap);
//   - per document, the runes a style actually uses are given one-byte
//     codes in a document-specific encoding (ASCII keeps its own codes;
//     others get 127–255 in a first face, 32–255 in further faces when a
//     document uses more than 129 of them), written as a PDF /Differences
//     array of uniXXXX glyph names, so viewers and text extraction map each
//     code back to its Unicode character;
//   - the font is subset per document to the glyphs it uses (renumbered,
//     composite glyphs' components included and repointed), without
//     hinting instructions, with a new (3,1) cmap of the used runes only,
//     and handed to gofpdf as an embedded TrueType font through
//     AddFontFromBytes, already compressed (about 4 KB per style).
//
// Text is therefore drawn with gofpdf's single-byte font machinery while
// every character the Go fonts have is rendered with its real glyph.
// Characters the Go fonts lack (e.g. CJK, emoji) keep their code and
// Unicode name, so text extraction still finds them, and show the font's
// missing-glyph box.

// style is a typeface of the receipt family.
type style int

const (
	regular style = iota
	bold
	numStyles
)

// ttfFont is a TrueType font parsed once per process.
type ttfFont struct {
	psName string // PostScript name
	tables map[string][]byte
	glyphs [][]byte // each glyph's outline record, hinting instructions removed
	adv    []uint16 // advance width of each glyph, font units
	lsb    []int16  // left side bearing of each glyph, font units
	w1000  []int    // advance width of each glyph, 1/1000 em
	cmap   map[rune]uint16

	ascent, descent, capHeight int // 1/1000 em
	bbox                       [4]int
	underlinePos, underlineTh  int
	stemV                      int
}

var (
	fontsOnce sync.Once
	fonts     [numStyles]*ttfFont
	fontsErr  error
)

// loadFonts parses the embedded fonts on first use.
func loadFonts() error {
	fontsOnce.Do(func() {
		if fonts[regular], fontsErr = parseTTF(goregular.TTF, "GoRegular", 70); fontsErr != nil {
			return
		}
		fonts[bold], fontsErr = parseTTF(gobold.TTF, "GoBold", 120)
	})
	return fontsErr
}

var errBadFont = errors.New("receipt: malformed TrueType font")

func parseTTF(b []byte, psName string, stemV int) (*ttfFont, error) {
	if len(b) < 12 {
		return nil, errBadFont
	}
	t := &ttfFont{psName: psName, stemV: stemV, tables: map[string][]byte{}}
	n := int(binary.BigEndian.Uint16(b[4:]))
	if len(b) < 12+16*n {
		return nil, errBadFont
	}
	for i := 0; i < n; i++ {
		rec := b[12+16*i:]
		off, ln := binary.BigEndian.Uint32(rec[8:]), binary.BigEndian.Uint32(rec[12:])
		if uint64(off)+uint64(ln) > uint64(len(b)) {
			return nil, errBadFont
		}
		t.tables[string(rec[:4])] = b[off : off+ln]
	}
	head, hhea, maxp, hmtx, loca := t.tables["head"], t.tables["hhea"], t.tables["maxp"], t.tables["hmtx"], t.tables["loca"]
	if len(head) < 54 || len(hhea) < 36 || len(maxp) < 6 || t.tables["glyf"] == nil || t.tables["cmap"] == nil {
		return nil, errBadFont
	}
	u16 := func(s []byte, o int) int { return int(binary.BigEndian.Uint16(s[o:])) }
	i16 := func(s []byte, o int) int { return int(int16(binary.BigEndian.Uint16(s[o:]))) }
	upem := u16(head, 18)
	if upem == 0 {
		return nil, errBadFont
	}
	scale := func(v int) int { return roundDiv(v*1000, upem) }
	locLong := u16(head, 50) == 1
	t.bbox = [4]int{scale(i16(head, 36)), scale(i16(head, 38)), scale(i16(head, 40)), scale(i16(head, 42))}
	t.ascent, t.descent = scale(i16(hhea, 4)), scale(i16(hhea, 6))
	t.capHeight = t.ascent
	if os2 := t.tables["OS/2"]; len(os2) >= 90 && u16(os2, 0) >= 2 {
		t.capHeight = scale(i16(os2, 88))
	}
	if post := t.tables["post"]; len(post) >= 12 {
		t.underlinePos, t.underlineTh = scale(i16(post, 8)), scale(i16(post, 10))
	}
	numGlyphs, numHMetrics := u16(maxp, 4), u16(hhea, 34)
	if numGlyphs == 0 || numHMetrics == 0 || numHMetrics > numGlyphs || len(hmtx) < 4*numHMetrics+2*(numGlyphs-numHMetrics) {
		return nil, errBadFont
	}
	t.adv, t.lsb, t.w1000 = make([]uint16, numGlyphs), make([]int16, numGlyphs), make([]int, numGlyphs)
	for g := range t.w1000 {
		t.adv[g] = uint16(u16(hmtx, 4*min(g, numHMetrics-1)))
		if g < numHMetrics {
			t.lsb[g] = int16(i16(hmtx, 4*g+2))
		} else {
			t.lsb[g] = int16(i16(hmtx, 4*numHMetrics+2*(g-numHMetrics)))
		}
		t.w1000[g] = scale(int(t.adv[g]))
	}
	glyf := t.tables["glyf"]
	offset := func(g int) (int, error) {
		var o int
		switch {
		case locLong && len(loca) >= 4*(g+1):
			o = int(binary.BigEndian.Uint32(loca[4*g:]))
		case !locLong && len(loca) >= 2*(g+1):
			o = 2 * u16(loca, 2*g)
		default:
			return 0, errBadFont
		}
		if o > len(glyf) {
			return 0, errBadFont
		}
		return o, nil
	}
	t.glyphs = make([][]byte, numGlyphs)
	for g := range t.glyphs {
		start, err := offset(g)
		if err != nil {
			return nil, err
		}
		end, err := offset(g + 1)
		if err != nil || end < start {
			return nil, errBadFont
		}
		if t.glyphs[g], err = stripHinting(glyf[start:end]); err != nil {
			return nil, err
		}
	}
	var err error
	if t.cmap, err = parseCmap(t.tables["cmap"], numGlyphs); err != nil {
		return nil, err
	}
	return t, nil
}

func roundDiv(a, b int) int {
	if a < 0 {
		return -((-a + b/2) / b)
	}
	return (a + b/2) / b
}

// parseCmap reads the Unicode subtable (format 4 or 12) of a cmap table.
func parseCmap(c []byte, numGlyphs int) (map[rune]uint16, error) {
	if len(c) < 4 {
		return nil, errBadFont
	}
	n := int(binary.BigEndian.Uint16(c[2:]))
	best, bestRank := -1, 0
	for i := 0; i < n && len(c) >= 4+8*(i+1); i++ {
		rec := c[4+8*i:]
		pid, eid := binary.BigEndian.Uint16(rec), binary.BigEndian.Uint16(rec[2:])
		off := int(binary.BigEndian.Uint32(rec[4:]))
		if off+2 > len(c) {
			continue
		}
		format := binary.BigEndian.Uint16(c[off:])
		rank := 0
		switch {
		case format == 12 && (pid == 3 && eid == 10 || pid == 0):
			rank = 3
		case format == 4 && pid == 3 && eid == 1:
			rank = 2
		case format == 4 && pid == 0:
			rank = 1
		}
		if rank > bestRank {
			best, bestRank = off, rank
		}
	}
	if best < 0 {
		return nil, errBadFont
	}
	s := c[best:]
	m := map[rune]uint16{}
	add := func(r rune, g int) {
		if g > 0 && g < numGlyphs {
			m[r] = uint16(g)
		}
	}
	switch binary.BigEndian.Uint16(s) {
	case 4:
		if len(s) < 14 {
			return nil, errBadFont
		}
		segs := int(binary.BigEndian.Uint16(s[6:])) / 2
		if len(s) < 16+8*segs {
			return nil, errBadFont
		}
		ends, starts := s[14:], s[16+2*segs:]
		deltas, ranges := s[16+4*segs:], s[16+6*segs:]
		for i := 0; i < segs; i++ {
			end, start := int(binary.BigEndian.Uint16(ends[2*i:])), int(binary.BigEndian.Uint16(starts[2*i:]))
			delta, ro := int(binary.BigEndian.Uint16(deltas[2*i:])), int(binary.BigEndian.Uint16(ranges[2*i:]))
			for r := start; r <= end && r != 0xFFFF; r++ {
				if ro == 0 {
					add(rune(r), (r+delta)&0xFFFF)
					continue
				}
				p := 16 + 6*segs + 2*i + ro + 2*(r-start)
				if p+2 > len(s) {
					return nil, errBadFont
				}
				if g := int(binary.BigEndian.Uint16(s[p:])); g != 0 {
					add(rune(r), (g+delta)&0xFFFF)
				}
			}
		}
	case 12:
		if len(s) < 16 {
			return nil, errBadFont
		}
		groups := int(binary.BigEndian.Uint32(s[12:]))
		if groups > (len(s)-16)/12 {
			return nil, errBadFont
		}
		for i := 0; i < groups; i++ {
			g := s[16+12*i:]
			start, end, gid := binary.BigEndian.Uint32(g), binary.BigEndian.Uint32(g[4:]), binary.BigEndian.Uint32(g[8:])
			if end < start || end > 0x10FFFF || end-start > 0xFFFF {
				return nil, errBadFont
			}
			for r := start; r <= end; r++ {
				add(rune(r), int(gid+r-start))
			}
		}
	default:
		return nil, errBadFont
	}
	return m, nil
}

// glyph returns the glyph of r (0, the missing glyph, when the font has none).
func (t *ttfFont) glyph(r rune) uint16 { return t.cmap[r] }

// runeWidth is the advance of r in 1/1000 em: exactly what gofpdf adds up
// from the /Widths we give it, so measuring and drawing agree.
func (t *ttfFont) runeWidth(r rune) int { return t.w1000[t.cmap[r]] }

// textWidth is the width of s at sizePt points, in millimetres.
func (t *ttfFont) textWidth(s string, sizePt float64) float64 {
	w := 0
	for _, r := range s {
		w += t.runeWidth(r)
	}
	return float64(w) * sizePt / 1000 * mmPerPt
}

const mmPerPt = 25.4 / 72

// Composite glyph flags (TrueType 'glyf').
const (
	argsAreWords     = 0x0001
	haveScale        = 0x0008
	moreComponents   = 0x0020
	haveXYScale      = 0x0040
	haveTwoByTwo     = 0x0080
	haveInstructions = 0x0100
)

// components walks a composite glyph record: fn gets the byte offset of
// each component's glyph index. It returns where the components end.
func components(rec []byte, fn func(at int)) (int, error) {
	p := 10
	for {
		if p+4 > len(rec) {
			return 0, errBadFont
		}
		flags := binary.BigEndian.Uint16(rec[p:])
		fn(p + 2)
		p += 4
		if flags&argsAreWords != 0 {
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&haveScale != 0:
			p += 2
		case flags&haveXYScale != 0:
			p += 4
		case flags&haveTwoByTwo != 0:
			p += 8
		}
		if flags&moreComponents == 0 {
			if p > len(rec) {
				return 0, errBadFont
			}
			return p, nil
		}
	}
}

// stripHinting returns a glyph record without its TrueType instructions.
// Hinting is half of the Go fonts' outline data and does nothing for a
// PDF that is printed or zoomed; without it the subset needs no fpgm,
// prep or cvt tables either.
func stripHinting(rec []byte) ([]byte, error) {
	if len(rec) == 0 {
		return nil, nil
	}
	if len(rec) < 10 {
		return nil, errBadFont
	}
	nc := int(int16(binary.BigEndian.Uint16(rec)))
	if nc >= 0 { // simple glyph: endPtsOfContours, instructionLength, instructions, the rest
		at := 10 + 2*nc
		if at+2 > len(rec) {
			return nil, errBadFont
		}
		n := int(binary.BigEndian.Uint16(rec[at:]))
		if at+2+n > len(rec) {
			return nil, errBadFont
		}
		out := make([]byte, 0, len(rec)-n)
		out = append(out, rec[:at]...)
		out = append(out, 0, 0)
		return append(out, rec[at+2+n:]...), nil
	}
	last := 0
	end, err := components(rec, func(at int) { last = at - 2 })
	if err != nil {
		return nil, err
	}
	out := append([]byte(nil), rec[:end]...)
	flags := binary.BigEndian.Uint16(out[last:])
	binary.BigEndian.PutUint16(out[last:], flags&^haveInstructions)
	return out, nil
}

// subset returns a TrueType font with only the glyphs of runes (and the
// glyphs their composites are built from, and the missing glyph),
// renumbered, and a cmap of those runes alone.
func (t *ttfFont) subset(runes []rune) []byte {
	// Old glyph ids to keep, and what each becomes.
	newID := map[uint16]uint16{}
	var order []uint16
	var visit func(g uint16, depth int)
	visit = func(g uint16, depth int) {
		if _, ok := newID[g]; ok || depth > 8 || int(g) >= len(t.glyphs) {
			return
		}
		newID[g] = uint16(len(order))
		order = append(order, g)
		if rec := t.glyphs[g]; len(rec) >= 10 && int16(binary.BigEndian.Uint16(rec)) < 0 {
			components(rec, func(at int) { visit(binary.BigEndian.Uint16(rec[at:]), depth+1) })
		}
	}
	visit(0, 0)
	type pair struct {
		r rune
		g uint16
	}
	pairs := make([]pair, 0, len(runes))
	for _, r := range runes {
		if g := t.glyph(r); g != 0 && r <= 0xFFFF {
			visit(g, 0)
			pairs = append(pairs, pair{r, newID[g]})
		}
	}
	sort.Slice(pairs, func(i, j int) bool { return pairs[i].r < pairs[j].r })

	n := len(order)
	size := 0
	for _, g := range order {
		size += (len(t.glyphs[g]) + 3) &^ 3
	}
	glyf := make([]byte, 0, size)
	loca := make([]byte, 0, 4*(n+1))
	hmtx := make([]byte, 0, 4*n)
	for _, g := range order {
		loca = binary.BigEndian.AppendUint32(loca, uint32(len(glyf)))
		rec := t.glyphs[g]
		at := len(glyf)
		glyf = append(glyf, rec...)
		if len(rec) >= 10 && int16(binary.BigEndian.Uint16(rec)) < 0 {
			cp := glyf[at:]
			components(cp, func(p int) {
				binary.BigEndian.PutUint16(cp[p:], newID[binary.BigEndian.Uint16(cp[p:])])
			})
		}
		for len(glyf)%4 != 0 {
			glyf = append(glyf, 0)
		}
		hmtx = be16(hmtx, t.adv[g], uint16(t.lsb[g]))
	}
	loca = binary.BigEndian.AppendUint32(loca, uint32(len(glyf)))

	// cmap: one format 4 subtable (3,1); consecutive runes with
	// consecutive glyphs share a segment.
	type seg struct{ start, end, delta uint16 }
	var segs []seg
	for _, p := range pairs {
		d := uint16(int(p.g) - int(p.r))
		if k := len(segs); k > 0 && uint16(p.r) == segs[k-1].end+1 && segs[k-1].delta == d {
			segs[k-1].end++
			continue
		}
		segs = append(segs, seg{uint16(p.r), uint16(p.r), d})
	}
	segs = append(segs, seg{0xFFFF, 0xFFFF, 1})
	sc := len(segs)
	sr, es := 2, 0
	for sr*2 <= 2*sc {
		sr *= 2
		es++
	}
	cmap := be16(make([]byte, 0, 12+16+8*sc), 0, 1, 3, 1)
	cmap = binary.BigEndian.AppendUint32(cmap, 12)
	cmap = be16(cmap, 4, uint16(16+8*sc), 0, uint16(2*sc), uint16(sr), uint16(es), uint16(2*sc-sr))
	for _, s := range segs {
		cmap = be16(cmap, s.end)
	}
	cmap = be16(cmap, 0)
	for _, s := range segs {
		cmap = be16(cmap, s.start)
	}
	for _, s := range segs {
		cmap = be16(cmap, s.delta)
	}
	for range segs {
		cmap = be16(cmap, 0)
	}

	head := append([]byte(nil), t.tables["head"]...)
	binary.BigEndian.PutUint32(head[8:], 0)  // checkSumAdjustment, set below
	binary.BigEndian.PutUint16(head[50:], 1) // long loca
	hhea := append([]byte(nil), t.tables["hhea"]...)
	binary.BigEndian.PutUint16(hhea[34:], uint16(n))
	maxp := append([]byte(nil), t.tables["maxp"]...)
	binary.BigEndian.PutUint16(maxp[4:], uint16(n))
	post := make([]byte, 32)
	copy(post, t.tables["post"])
	binary.BigEndian.PutUint32(post, 0x00030000) // no glyph names

	out := map[string][]byte{"head": head, "hhea": hhea, "maxp": maxp, "hmtx": hmtx, "loca": loca, "glyf": glyf,
		"cmap": cmap, "post": post, "name": nameTable(t.psName)}
	if os2 := t.tables["OS/2"]; os2 != nil {
		out["OS/2"] = os2
	}
	font := assembleSFNT(out)
	binary.BigEndian.PutUint32(font[headOffset(font)+8:], 0xB1B0AFBA-checksum(font))
	return font
}

func be16(b []byte, vs ...uint16) []byte {
	for _, v := range vs {
		b = binary.BigEndian.AppendUint16(b, v)
	}
	return b
}

// nameTable is a minimal 'name' table: family, style, full and PostScript
// names, Windows platform.
func nameTable(ps string) []byte {
	names := []string{"Go", "Regular", ps, ps}
	if ps == "GoBold" {
		names[1] = "Bold"
	}
	ids := []uint16{1, 2, 4, 6}
	var str []byte
	b := be16(nil, 0, uint16(len(ids)), uint16(6+12*len(ids)))
	for i, s := range names {
		var u []byte
		for _, r := range s {
			u = be16(u, uint16(r))
		}
		b = be16(b, 3, 1, 0x409, ids[i], uint16(len(u)), uint16(len(str)))
		str = append(str, u...)
	}
	return append(b, str...)
}

func checksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}

// assembleSFNT writes a TrueType file from its tables, in tag order.
func assembleSFNT(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	size := 12
	for tag, b := range tables {
		tags = append(tags, tag)
		size += 16 + (len(b)+3)&^3
	}
	sort.Strings(tags)
	n := len(tags)
	sr, es := 1, 0
	for sr*2 <= n {
		sr *= 2
		es++
	}
	out := make([]byte, 0, size)
	out = binary.BigEndian.AppendUint32(out, 0x00010000)
	out = be16(out, uint16(n), uint16(16*sr), uint16(es), uint16(16*n-16*sr))
	off := 12 + 16*n
	for _, tag := range tags {
		b := tables[tag]
		out = append(out, tag...)
		out = binary.BigEndian.AppendUint32(out, checksum(b))
		out = binary.BigEndian.AppendUint32(out, uint32(off))
		out = binary.BigEndian.AppendUint32(out, uint32(len(b)))
		off += (len(b) + 3) &^ 3
	}
	for _, tag := range tags {
		out = append(out, tables[tag]...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	return out
}

func headOffset(font []byte) int {
	n := int(binary.BigEndian.Uint16(font[4:]))
	for i := 0; i < n; i++ {
		rec := font[12+16*i:]
		if string(rec[:4]) == "head" {
			return int(binary.BigEndian.Uint32(rec[8:]))
		}
	}
	return 0
}

var zPool = sync.Pool{New: func() any {
	w, _ := zlib.NewWriterLevel(nil, zlib.BestSpeed)
	return w
}}

func deflate(b []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(b) / 2)
	w := zPool.Get().(*zlib.Writer)
	w.Reset(&buf)
	w.Write(b)
	w.Close()
	zPool.Put(w)
	return buf.Bytes()
}

// faceSlot is where a rune is drawn: which face of its style, which code.
type faceSlot struct {
	face int
	code byte
}

// encoding is a document's mapping of the runes of one style to faces
// (gofpdf fonts) and one-byte codes.
type encoding struct {
	style style
	slots map[rune]faceSlot
	faces int
}

// firstFree is the first code a face gives to runes outside ASCII: 127
// in the first face (ASCII keeps its own codes there), 32 in the others.
// gofpdf writes /Widths for codes 32–255 only.
func firstFree(face int) int {
	if face == 0 {
		return 127
	}
	return 32
}

// newEncoding gives every rune of used a face and a code.
func newEncoding(s style, used map[rune]bool) *encoding {
	e := &encoding{style: s, slots: make(map[rune]faceSlot, len(used)), faces: 1}
	var others []rune
	for r := range used {
		if r >= 0x20 && r < 0x7F {
			e.slots[r] = faceSlot{0, byte(r)}
		} else {
			others = append(others, r)
		}
	}
	sort.Slice(others, func(i, j int) bool { return others[i] < others[j] })
	face, code := 0, firstFree(0)
	for _, r := range others {
		if code > 255 {
			face++
			code = firstFree(face)
		}
		e.slots[r] = faceSlot{face, byte(code)}
		code++
	}
	e.faces = face + 1
	return e
}

// family is the gofpdf family name of a face.
func (e *encoding) family(face int) string { return fmt.Sprintf("s%d%d", e.style, face) }

// register subsets the style's font to the encoding's runes and adds
// every face to pdf.
func (e *encoding) register(pdf *gofpdf.Fpdf) error {
	t := fonts[e.style]
	runes := make([]rune, 0, len(e.slots))
	for r := range e.slots {
		runes = append(runes, r)
	}
	sort.Slice(runes, func(i, j int) bool { return runes[i] < runes[j] })
	raw := t.subset(runes)
	z := deflate(raw)
	h := fnv.New32a()
	for _, r := range runes {
		h.Write([]byte(string(r)))
	}
	tag := subsetTag(h.Sum32())
	file := fmt.Sprintf("%s%d.z", t.psName, e.style) // the faces share one embedded file
	for face := 0; face < e.faces; face++ {
		cw := make([]int, 256)
		var diff []string
		names := map[int]string{}
		for r, s := range e.slots {
			if s.face != face {
				continue
			}
			cw[s.code] = t.runeWidth(r)
			if !(face == 0 && s.code < 0x7F) {
				names[int(s.code)] = glyphName(r)
			}
		}
		codes := make([]int, 0, len(names))
		for c := range names {
			codes = append(codes, c)
		}
		sort.Ints(codes)
		for i, c := range codes {
			if i == 0 || codes[i-1] != c-1 {
				diff = append(diff, fmt.Sprint(c))
			}
			diff = append(diff, "/"+names[c])
		}
		def := pdfFontDef{Tp: "TrueType", Name: tag + "+" + t.psName, Up: t.underlinePos, Ut: t.underlineTh, Cw: cw,
			File: file, OriginalSize: len(raw), Diff: joinSpace(diff),
			Desc: pdfFontDesc{Ascent: t.ascent, Descent: t.descent, CapHeight: t.capHeight,
				Flags: gofpdf.FontFlagNonsymbolic, FontBBox: pdfBox{t.bbox[0], t.bbox[1], t.bbox[2], t.bbox[3]},
				StemV: t.stemV, MissingWidth: t.w1000[0]}}
		js, err := json.Marshal(def)
		if err != nil {
			return fmt.Errorf("receipt: font definition: %w", err)
		}
		pdf.AddFontFromBytes(e.family(face), "", js, z)
	}
	return pdf.Error()
}

// pdfFontDef mirrors the JSON font definition gofpdf reads (its
// fontDefType); only the fields a TrueType font needs.
type pdfFontDef struct {
	Tp           string
	Name         string
	Desc         pdfFontDesc
	Up, Ut       int
	Cw           []int
	Diff         string
	File         string
	OriginalSize int
}

type pdfFontDesc struct {
	Ascent, Descent, CapHeight, Flags int
	FontBBox                          pdfBox
	ItalicAngle, StemV, MissingWidth  int
}

type pdfBox struct{ Xmin, Ymin, Xmax, Ymax int }

func joinSpace(s []string) string {
	var b bytes.Buffer
	for i, v := range s {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(v)
	}
	return b.String()
}

// glyphName is the glyph name PDF viewers and text extraction map back to
// r (Adobe Glyph List rules for uniXXXX and uXXXXXX).
func glyphName(r rune) string {
	if r == ' ' {
		return "space"
	}
	if r <= 0xFFFF {
		return fmt.Sprintf("uni%04X", r)
	}
	return fmt.Sprintf("u%06X", r)
}

// subsetTag is the six capital letters a subset font's name starts with.
func subsetTag(h uint32) string {
	var b [6]byte
	for i := range b {
		b[i] = 'A' + byte(h%26)
		h /= 26
	}
	return string(b[:])
}
