package export

import (
	"archive/zip"
	"bufio"
	"io"
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// A workbook written as it is read: the XLSX parts go into a zip stream
// on the response one after the other, each sheet row by row, so memory
// stays the same for a day's reports and for a million. excelize (used
// before) keeps the whole finished workbook in a bytes.Buffer before the
// first byte goes out (File.WriteTo calls WriteToBuffer): ~260 MB for a
// month of a 1,000,000-complaint office, enough for the kernel to kill
// the appliance under a 256 MB limit (docs/benchmarks.md, exports).
//
// What it writes is the minimal SpreadsheetML a spreadsheet program needs:
// content types, the package and workbook relations, a workbook naming the
// sheets, a style sheet (bold header, date and date-time formats) and one
// worksheet per sheet with inline strings, numbers, booleans and dates as
// serial numbers. Text goes into cells as strings, never as formulas.

// xlsxCell is one cell value: string, int, bool, time.Time (date and
// time), xlsxDate (a calendar date) or nil (empty).
type xlsxCell = any

// xlsxDate is a calendar date without a time.
type xlsxDate time.Time

// Style ids (s="…") of styles.xml's cellXfs, used by rowOf: 0 none,
// 1 date and time, 2 date, 3 bold header.

type xlsxWriter struct {
	zw     *zip.Writer
	sheets []string
	w      *bufio.Writer // the part being written
	row    int
	buf    []byte
}

// newXLSX starts a workbook with the sheets named on w: the fixed parts go
// out at once, the sheets follow with sheet.
func newXLSX(w io.Writer, sheets ...string) (*xlsxWriter, error) {
	x := &xlsxWriter{zw: zip.NewWriter(w), sheets: sheets}
	var types, rels, book []byte
	types = append(types, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>`...)
	rels = append(rels, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`...)
	book = append(book, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>`...)
	for i, name := range sheets {
		n := strconv.Itoa(i + 1)
		types = append(types, `<Override PartName="/xl/worksheets/sheet`+n+`.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`...)
		rels = append(rels, `<Relationship Id="rId`+n+`" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet`+n+`.xml"/>`...)
		book = append(book, `<sheet name="`...)
		book = appendEscaped(book, name)
		book = append(book, `" sheetId="`+n+`" r:id="rId`+n+`"/>`...)
	}
	types = append(types, `</Types>`...)
	rels = append(rels, `</Relationships>`...)
	book = append(book, `</sheets></workbook>`...)
	for _, part := range []struct {
		name string
		body []byte
	}{
		{"[Content_Types].xml", types},
		{"_rels/.rels", []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)},
		{"xl/workbook.xml", book},
		{"xl/_rels/workbook.xml.rels", rels},
		{"xl/styles.xml", []byte(xlsxStyles)},
	} {
		f, err := x.zw.Create(part.name)
		if err != nil {
			return nil, err
		}
		if _, err := f.Write(part.body); err != nil {
			return nil, err
		}
	}
	return x, nil
}

const xlsxStyles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`

// sheet starts worksheet i (0-based, in the order newXLSX named them)
// with its header row; rows follow with row, and the next sheet or close
// ends it.
func (x *xlsxWriter) sheet(i int, header []string) error {
	if err := x.endSheet(); err != nil {
		return err
	}
	f, err := x.zw.Create("xl/worksheets/sheet" + strconv.Itoa(i+1) + ".xml")
	if err != nil {
		return err
	}
	x.w = bufio.NewWriterSize(f, 32<<10)
	x.row = 0
	if _, err := x.w.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>`); err != nil {
		return err
	}
	cells := make([]xlsxCell, len(header))
	for j, h := range header {
		cells[j] = xlsxHeader(h)
	}
	return x.rowOf(cells)
}

// xlsxHeader is a header cell (bold).
type xlsxHeader string

func (x *xlsxWriter) endSheet() error {
	if x.w == nil {
		return nil
	}
	if _, err := x.w.WriteString(`</sheetData></worksheet>`); err != nil {
		return err
	}
	err := x.w.Flush()
	x.w = nil
	return err
}

// rowOf writes the next row of the current sheet.
func (x *xlsxWriter) rowOf(cells []xlsxCell) error {
	x.row++
	r := strconv.Itoa(x.row)
	b := x.buf[:0]
	b = append(b, `<row r="`...)
	b = append(b, r...)
	b = append(b, `">`...)
	for j, v := range cells {
		if v == nil {
			continue
		}
		b = append(b, `<c r="`...)
		b = columnName(b, j)
		b = append(b, r...)
		b = append(b, '"')
		switch v := v.(type) {
		case string:
			if v == "" {
				b = append(b, `/>`...)
				continue
			}
			b = append(b, ` t="inlineStr"><is><t xml:space="preserve">`...)
			b = appendEscaped(b, v)
			b = append(b, `</t></is></c>`...)
		case xlsxHeader:
			b = append(b, ` s="3" t="inlineStr"><is><t>`...)
			b = appendEscaped(b, string(v))
			b = append(b, `</t></is></c>`...)
		case int:
			b = append(b, `><v>`...)
			b = strconv.AppendInt(b, int64(v), 10)
			b = append(b, `</v></c>`...)
		case bool:
			b = append(b, ` t="b"><v>`...)
			if v {
				b = append(b, '1')
			} else {
				b = append(b, '0')
			}
			b = append(b, `</v></c>`...)
		case time.Time:
			b = append(b, ` s="1"><v>`...)
			b = strconv.AppendFloat(b, excelSerial(v), 'f', -1, 64)
			b = append(b, `</v></c>`...)
		case xlsxDate:
			b = append(b, ` s="2"><v>`...)
			b = strconv.AppendFloat(b, math.Floor(excelSerial(time.Time(v))), 'f', -1, 64)
			b = append(b, `</v></c>`...)
		default:
			b = append(b, `/>`...)
		}
	}
	b = append(b, `</row>`...)
	x.buf = b
	_, err := x.w.Write(b)
	return err
}

// close ends the last sheet and the zip (its central directory).
func (x *xlsxWriter) close() error {
	if err := x.endSheet(); err != nil {
		return err
	}
	return x.zw.Close()
}

// columnName appends the letters of column j (0-based: A, …, Z, AA, …).
func columnName(b []byte, j int) []byte {
	var tmp [4]byte
	i := len(tmp)
	for j++; j > 0; j = (j - 1) / 26 {
		i--
		tmp[i] = byte('A' + (j-1)%26)
	}
	return append(b, tmp[i:]...)
}

// excelEpoch is day 0 of Excel's 1900 date system (1899-12-30, which
// absorbs Excel's leap-year bug for every date after February 1900).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// excelSerial is t's wall clock as an Excel serial number (days and the
// fraction of a day), to the second.
func excelSerial(t time.Time) float64 {
	wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
	return float64(wall.Sub(excelEpoch)/time.Second) / 86400
}

// appendEscaped appends s as XML text: markup characters escaped, and
// characters XML 1.0 cannot carry (control characters, invalid UTF-8)
// replaced by U+FFFD.
func appendEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '&':
				b = append(b, "&amp;"...)
			case c == '<':
				b = append(b, "&lt;"...)
			case c == '>':
				b = append(b, "&gt;"...)
			case c == '"':
				b = append(b, "&quot;"...)
			case c == '\t' || c == '\n' || c == '\r' || c >= 0x20:
				b = append(b, c)
			default:
				b = append(b, "\uFFFD"...)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == 0xFFFE || r == 0xFFFF {
			b = append(b, "\uFFFD"...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return b
}
