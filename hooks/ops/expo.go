package ops

import (
	"bytes"
	"math"
	"strconv"
	"strings"
)

// expo writes the Prometheus text exposition format, version 0.0.4: per
// family a HELP and a TYPE line, then its samples. It is small on purpose:
// Simpul exports a few dozen series, and the tests check the output with
// Prometheus's own parser (github.com/prometheus/common/expfmt).
type expo struct{ b bytes.Buffer }

// ContentType is the media type of the text format.
const ContentType = "text/plain; version=0.0.4; charset=utf-8"

// label is one name="value" pair. Values are always from a fixed set
// (statuses, channels, routes, file names), never from citizens' input.
type label struct{ name, value string }

func (x *expo) family(name, typ, help string) {
	x.b.WriteString("# HELP ")
	x.b.WriteString(name)
	x.b.WriteByte(' ')
	x.b.WriteString(helpEscaper.Replace(help))
	x.b.WriteString("\n# TYPE ")
	x.b.WriteString(name)
	x.b.WriteByte(' ')
	x.b.WriteString(typ)
	x.b.WriteByte('\n')
}

func (x *expo) sample(name string, v float64, labels ...label) {
	x.b.WriteString(name)
	if len(labels) > 0 {
		x.b.WriteByte('{')
		for i, l := range labels {
			if i > 0 {
				x.b.WriteByte(',')
			}
			x.b.WriteString(l.name)
			x.b.WriteString(`="`)
			x.b.WriteString(valueEscaper.Replace(l.value))
			x.b.WriteByte('"')
		}
		x.b.WriteByte('}')
	}
	x.b.WriteByte(' ')
	x.b.WriteString(formatFloat(v))
	x.b.WriteByte('\n')
}

// gauge writes a one-sample gauge family.
func (x *expo) gauge(name, help string, v float64) {
	x.family(name, "gauge", help)
	x.sample(name, v)
}

// histogram writes one labelled histogram: cumulative buckets (upper
// bounds bounds, counts per bucket not yet cumulated), +Inf, sum and count.
func (x *expo) histogram(name string, bounds []float64, counts []uint64, sum float64, count uint64, labels ...label) {
	var cum uint64
	withLE := make([]label, len(labels)+1)
	copy(withLE, labels)
	for i, b := range bounds {
		cum += counts[i]
		withLE[len(labels)] = label{"le", formatFloat(b)}
		x.sample(name+"_bucket", float64(cum), withLE...)
	}
	withLE[len(labels)] = label{"le", "+Inf"}
	x.sample(name+"_bucket", float64(count), withLE...)
	x.sample(name+"_sum", sum, labels...)
	x.sample(name+"_count", float64(count), labels...)
}

var (
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
	valueEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`)
)

func formatFloat(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
