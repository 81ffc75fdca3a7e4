package upstream_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/domain/trackcode"
	"simpul/hooks/events"
	"simpul/sync/hub"
	"simpul/sync/protocol"
	"simpul/sync/upstream"
	"simpul/ui/testkit"
)

var words = strings.Fields(`jalan rusak lubang depan puskesmas antrean obat loket lama petugas tidak ramah
pelayanan lambat sampah menumpuk pasar lampu mati air bersih tidak mengalir sejak minggu lalu mohon segera
ditindaklanjuti warga kesulitan anak sekolah banjir saluran tersumbat bau kendaraan parkir liar biaya tidak jelas
pungutan surat keterangan kartu keluarga ditolak tanpa alasan jadwal dokter berubah ruang tunggu panas`)

func sentence(r *rand.Rand, n int) string {
	out := make([]string, n)
	for i := range out {
		out[i] = words[r.IntN(len(words))]
	}
	return strings.Join(out, " ")
}

// createComplaints writes n complaints with their "created" event (and
// outbox rows) in one transaction; the time it takes is the baseline.
func createComplaints(b testing.TB, app core.App, n int) time.Duration {
	r := rand.New(rand.NewPCG(1, 2))
	cat, err := app.FindFirstRecordByData(model.Categories, "code", "LAIN")
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	err = app.RunInTransaction(func(tx core.App) error {
		col, err := tx.FindCachedCollectionByNameOrId(model.Complaints)
		if err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			c := core.NewRecord(col)
			c.Set("tracking_code", trackcode.New())
			c.Set("type", model.TypePengaduan)
			c.Set("title", sentence(r, 6))
			c.Set("body", sentence(r, 35)) // ~250 characters of complaint text
			c.Set("category", cat.Id)
			c.Set("privacy", model.Privacies[i%3])
			c.Set("status", model.StatusBaru)
			c.Set("channel", model.ChannelWeb)
			if i%3 != 1 { // anonymous reports store no identity at all
				c.Set("reporter_name", "Pelapor "+fmt.Sprint(i))
				c.Set("reporter_phone", fmt.Sprintf("0812%08d", i))
			}
			if err := tx.Save(c); err != nil {
				return err
			}
			if _, err := events.Append(tx, c, events.Event{Kind: model.EventCreated, ActorType: "system",
				To: model.StatusBaru, Public: true, Origin: "PKM"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// BenchmarkPush10k pushes 10,000 complaints node → hub over loopback HTTP
// (signed, gzip, batches of 500) and reports complaints/s, bytes on the
// wire per complaint, and the ratio to writing the same complaints locally
// on the node (the baseline, measured in the same run).
func BenchmarkPush10k(b *testing.B) {
	const n = 10_000
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		hubL, node := newLevel(b, "kab"), newLevel(b, "pkm")
		attach(b, node, hubL)
		node.syncer.Batch = protocol.MaxChangesPerPush
		local := createComplaints(b, node.app, n)
		b.StartTimer()
		start, cpu0 := time.Now(), cpuTime()
		sum, err := node.syncer.Pass(context.Background())
		elapsed, cpu := time.Since(start), cpuTime()-cpu0
		b.StopTimer()
		if err != nil || sum.Pushed != n {
			b.Fatalf("pass: %+v %v", sum, err)
		}
		wire := node.parent.BytesSent.Load() + node.parent.BytesReceived.Load()
		b.ReportMetric(float64(n)/elapsed.Seconds(), "complaints/s")
		b.ReportMetric(float64(wire)/n, "wire_B/complaint")
		b.ReportMetric(float64(node.parent.BytesSent.Load())/n, "sent_B/complaint")
		// Node and hub run in this process: CPU per complaint covers both
		// ends, and is less at the mercy of other load on a shared box.
		b.ReportMetric(float64(cpu.Microseconds())/n, "cpu_us/complaint")
		b.ReportMetric(float64(n)/local.Seconds(), "baseline_local_create/s")
		b.ReportMetric(local.Seconds()/elapsed.Seconds(), "x_baseline")
	}
}

// BenchmarkHubManyNodes: a hub taking one push (5 new complaints) from each
// of 1,000 registered nodes, 8 at a time, each request signed with its own
// node's key. Reports pushes/s and complaints/s.
func BenchmarkHubManyNodes(b *testing.B) {
	const nodes, per, conc = 1000, 5, 8
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		hubL := newLevel(b, "prov")
		hubL.syncer = nil
		type cred struct {
			id  string
			key []byte
		}
		creds := make([]cred, nodes)
		for k := range creds {
			c, err := hub.AddNode(hubL.app, fmt.Sprintf("N%04d", k), "Node")
			if err != nil {
				b.Fatal(err)
			}
			creds[k] = cred{c.NodeID, protocol.DeriveKey(c.Secret)}
		}
		r := rand.New(rand.NewPCG(3, 4))
		bodies := make([][]byte, nodes)
		for k := range bodies {
			changes := make([]protocol.Change, per)
			for j := range changes {
				changes[j] = protocol.Change{
					Event: protocol.Event{UID: fmt.Sprintf("N%04d:%d", k, j), Kind: model.EventCreated, ActorType: "system",
						To: model.StatusBaru, Origin: fmt.Sprintf("N%04d", k), At: testkit.Now().UTC().Format(time.RFC3339Nano)},
					Complaint: protocol.Complaint{ID: fmt.Sprintf("c%04d%010d", k, j), TrackingCode: trackcode.New(),
						Type: model.TypePengaduan, Title: sentence(r, 6), Body: sentence(r, 35), Category: "LAIN",
						Privacy: model.PrivacyPublic, Status: model.StatusBaru},
				}.Whole()
			}
			body, err := protocol.Encode(protocol.PushRequest{V: protocol.Version, Changes: changes})
			if err != nil {
				b.Fatal(err)
			}
			bodies[k] = body
		}
		b.StartTimer()
		start := time.Now()
		var wg sync.WaitGroup
		work := make(chan int)
		errs := make(chan error, nodes)
		for w := 0; w < conc; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := range work {
					req, _ := http.NewRequest(http.MethodPost, hubL.srv.URL+protocol.PushPath, strings.NewReader(string(bodies[k])))
					req.Header.Set("Content-Encoding", "gzip")
					protocol.SetHeaders(req, creds[k].id, creds[k].key, bodies[k], testkit.Now())
					res, err := http.DefaultClient.Do(req)
					if err != nil {
						errs <- err
						continue
					}
					res.Body.Close()
					if res.StatusCode != 200 {
						errs <- fmt.Errorf("node %d: %d", k, res.StatusCode)
					}
				}
			}()
		}
		for k := 0; k < nodes; k++ {
			work <- k
		}
		close(work)
		wg.Wait()
		elapsed := time.Since(start)
		b.StopTimer()
		close(errs)
		for err := range errs {
			b.Fatal(err)
		}
		if got := count(b, hubL.app, model.Complaints, nil); got != nodes*per {
			b.Fatalf("hub has %d complaints", got)
		}
		b.ReportMetric(nodes/elapsed.Seconds(), "pushes/s")
		b.ReportMetric(nodes*per/elapsed.Seconds(), "complaints/s")
	}
}

var _ = upstream.RunPath

// cpuTime is the process's user+system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
