package testkit

import (
	"fmt"
	"io"
	"net"
	"testing"
	"time"
)

// ESCPOSJob is an ESC/POS job as a printer would take it: the text lines it
// prints, the QR codes it draws (the data stored before each print
// command) and what it was told to do.
type ESCPOSJob struct {
	Lines      []string
	QR         []string
	QRModule   int
	QRModel    int
	Init, Cut  bool
	BigText    []string // lines printed at double size
	Unexpected []string
}

// DecodeESCPOS interprets the commands ui/receipt's encoder may use,
// failing on any other, so a test sees the job the printer sees.
func DecodeESCPOS(job []byte) (*ESCPOSJob, error) {
	d := &ESCPOSJob{}
	var line []byte
	big := false
	stored := ""
	for i := 0; i < len(job); {
		c := job[i]
		need := func(n int) error {
			if i+n > len(job) {
				return fmt.Errorf("command at %d cut short", i)
			}
			return nil
		}
		switch {
		case c == 0x1b: // ESC
			if err := need(2); err != nil {
				return nil, err
			}
			switch job[i+1] {
			case '@':
				if i != 0 {
					d.Unexpected = append(d.Unexpected, "ESC @ not first")
				}
				d.Init = true
				i += 2
			case 't', 'a', 'E', 'd':
				if err := need(3); err != nil {
					return nil, err
				}
				i += 3
			default:
				return nil, fmt.Errorf("unknown ESC %q at %d", job[i+1], i)
			}
		case c == 0x1d: // GS
			if err := need(2); err != nil {
				return nil, err
			}
			switch job[i+1] {
			case '!':
				if err := need(3); err != nil {
					return nil, err
				}
				big = job[i+2] != 0
				i += 3
			case 'V':
				if err := need(4); err != nil {
					return nil, err
				}
				d.Cut = true
				i += 4
				if i != len(job) {
					d.Unexpected = append(d.Unexpected, "bytes after the cut")
				}
			case '(':
				if err := need(7); err != nil {
					return nil, err
				}
				if job[i+2] != 'k' {
					return nil, fmt.Errorf("unknown GS ( %q", job[i+2])
				}
				n := int(job[i+3]) + int(job[i+4])*256
				if err := need(5 + n); err != nil {
					return nil, err
				}
				cn, fn, params := job[i+5], job[i+6], job[i+7:i+5+n]
				if cn != 49 {
					return nil, fmt.Errorf("GS ( k for symbol %d, not QR", cn)
				}
				switch fn {
				case 65:
					d.QRModel = int(params[0]) - 48
				case 67:
					d.QRModule = int(params[0])
				case 69:
				case 80:
					stored = string(params[1:]) // after m = 48
				case 81:
					d.QR = append(d.QR, stored)
				default:
					return nil, fmt.Errorf("QR function %d", fn)
				}
				i += 5 + n
			default:
				return nil, fmt.Errorf("unknown GS %q at %d", job[i+1], i)
			}
		case c == '\n':
			d.Lines = append(d.Lines, string(line))
			if big && len(line) > 0 {
				d.BigText = append(d.BigText, string(line))
			}
			line = line[:0]
			i++
		case c < 0x20 || c > 0x7e:
			return nil, fmt.Errorf("byte %#x at %d is neither a command nor printable ASCII", c, i)
		default:
			line = append(line, c)
			i++
		}
	}
	return d, nil
}

// Printer is a receipt printer on the network for a test: it listens on
// 127.0.0.1 and hands over every job sent to it (a connection's bytes
// until the sender closes it). Addr is its address as an office writes
// it, tcp://127.0.0.1:PORT.
type Printer struct {
	Addr string
	Jobs chan []byte
}

// NewPrinter starts a Printer that stops with the test.
func NewPrinter(t testing.TB) *Printer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("testkit: printer: %v", err)
	}
	t.Cleanup(func() { ln.Close() })
	p := &Printer{Addr: "tcp://" + ln.Addr().String(), Jobs: make(chan []byte, 16)}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second)) // I/O timeout, not domain time
			job, _ := io.ReadAll(conn)
			conn.Close()
			p.Jobs <- job
		}
	}()
	return p
}

// Job waits a few seconds for the next job and decodes it.
func (p *Printer) Job(t testing.TB) *ESCPOSJob {
	t.Helper()
	select {
	case job := <-p.Jobs:
		d, err := DecodeESCPOS(job)
		if err != nil {
			t.Fatalf("testkit: the printer got a job it cannot read: %v", err)
		}
		return d
	case <-time.After(10 * time.Second):
		t.Fatal("testkit: nothing reached the printer")
		return nil
	}
}
