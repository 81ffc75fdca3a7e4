// Package upstream is the child side of Simpul's sync protocol
// (docs/sync-protocol.md): it pushes the outbox to the parent in batches,
// then pulls the changes made above and applies them through sync/apply,
// on a gocron v2 schedule that never overlaps and backs off after failures.
//
// Register wires the whole sync feature into an app (the hub endpoints
// too, since every Simpul may have children); main calls it once.
package upstream

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"simpul/hooks/events/outbox"
	"simpul/hooks/platform/clock"
	"simpul/hooks/platform/config"
	"simpul/hooks/platform/routes"
	"simpul/sync/hub"
	"simpul/sync/lapor"
)

// storeKey holds the app's *Syncer (nil without a parent) in app.Store().
const storeKey = "simpul.sync.syncer"

// RunPath is the admin route that runs one pass now.
const RunPath = "/api/sync/run"

// FromApp returns the app's syncer, or nil when no parent is configured.
func FromApp(app core.App) *Syncer {
	s, _ := app.Store().Get(storeKey).(*Syncer)
	return s
}

// Register binds the hub endpoints, the admin run route and, when a parent
// is configured, the scheduled sync job.
func Register(app core.App, cfg config.Config) {
	hub.New(app).Bind()
	// The top of a tree queues nothing: nobody would take it, and the queue
	// would grow with every event (hooks/events/outbox).
	outbox.SetTop(app, cfg.UpstreamURL == "" && cfg.LaporURL == "" && cfg.NodeID == "")
	var s *Syncer
	if cfg.UpstreamURL != "" {
		s = NewSyncer(app, NewHTTPParent(cfg.UpstreamURL, cfg.NodeID, cfg.NodeSecret, clock.Func(app)), cfg.UpstreamURL, cfg.SyncInterval)
	} else if cfg.LaporURL != "" {
		// The top of the tree: the parent is the national system.
		s = NewSyncer(app, lapor.New(app, lapor.Config{URL: cfg.LaporURL, Token: cfg.LaporToken}), lapor.ParentName, cfg.SyncInterval)
		s.IDField = "lapor_tracking_id"
	}
	if s != nil {
		app.Store().Set(storeKey, s)
	}
	routes.Add(app, routes.Group{Routes: []routes.Route{
		{Method: http.MethodPost, Path: RunPath, Who: routes.Admin, Handler: handleRun},
	}})
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		if s != nil {
			// Before the first request: what this office did while it had no
			// parent is queued ahead of what it does from now on.
			if _, err := outbox.QueueUnsent(se.App, clock.Now(se.App)); err != nil {
				return err
			}
			if err := s.Start(); err != nil {
				return err
			}
		}
		return se.Next()
	})
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		if s != nil {
			s.Stop()
		}
		return e.Next()
	})
}

// Start schedules Tick every Interval (singleton: a slow pass makes the
// next one wait instead of overlapping).
func (s *Syncer) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sched != nil {
		return nil
	}
	sched, err := gocron.NewScheduler()
	if err != nil {
		return fmt.Errorf("upstream: scheduler: %w", err)
	}
	_, err = sched.NewJob(gocron.DurationJob(s.Interval),
		gocron.NewTask(func(ctx context.Context) { s.Tick(ctx) }),
		gocron.WithName("simpul-sync"),
		gocron.WithSingletonMode(gocron.LimitModeReschedule),
		gocron.WithStartAt(gocron.WithStartImmediately()))
	if err != nil {
		return fmt.Errorf("upstream: job: %w", err)
	}
	sched.Start()
	s.sched = sched
	return nil
}

// Stop shuts the scheduler down, waiting for a running pass.
func (s *Syncer) Stop() {
	s.mu.Lock()
	sched := s.sched
	s.sched = nil
	s.mu.Unlock()
	if sched != nil {
		_ = sched.Shutdown()
	}
}

// handleRun is POST /api/sync/run: one pass now, for superusers and admin
// staff; it answers the JSON summary.
func handleRun(e *core.RequestEvent) error {
	if !routes.IsAdmin(e.Auth) {
		if e.Auth == nil {
			return e.UnauthorizedError("Sign in as an administrator.", nil)
		}
		return e.ForbiddenError("Only administrators may run sync.", nil)
	}
	s := FromApp(e.App)
	if s == nil {
		return e.Error(http.StatusConflict, "No parent is configured (SIMPUL_UPSTREAM_URL or SIMPUL_LAPOR_URL).", nil)
	}
	sum, err := s.Pass(e.Request.Context())
	if err != nil {
		return e.JSON(http.StatusBadGateway, sum)
	}
	return e.JSON(http.StatusOK, sum)
}

// Commands returns "nodes add" and "sync run|export|import" for main.
func Commands(app core.App, cfg config.Config) []*cobra.Command {
	root := &cobra.Command{Use: "sync", Short: "Synchronise with the parent Simpul"}
	root.AddCommand(&cobra.Command{
		Use:          "run",
		Short:        "Run one sync pass now and print a JSON summary",
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			s := FromApp(app)
			if s == nil {
				return errors.New("upstream: no parent configured: set SIMPUL_UPSTREAM_URL, SIMPUL_NODE_ID and SIMPUL_NODE_SECRET (or SIMPUL_LAPOR_URL and SIMPUL_LAPOR_TOKEN)")
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), 30*time.Minute)
			defer cancel()
			sum, err := s.Pass(ctx)
			out, _ := json.Marshal(sum)
			fmt.Fprintln(cmd.OutOrStdout(), string(out))
			return err
		},
	})
	root.AddCommand(exportCommand(app, cfg), importCommand(app), resendCommand(app), &cobra.Command{
		Use:          "lapor-ready",
		Short:        "On the office that talks to SP4N-LAPOR!: its child offices have resent (or it is new); deliver what waited",
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			n, err := lapor.ConfirmLedger(app)
			if err != nil {
				return err
			}
			return json.NewEncoder(cmd.OutOrStdout()).Encode(map[string]int{"released": n})
		},
	})
	return append(hub.Commands(app), root)
}
