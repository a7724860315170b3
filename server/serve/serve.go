//go:build !js

// Package serve wires Ferry together: it opens the data directory, builds
// the services and the HTTP app, and runs until its context ends.
package serve

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	ferryapp "github.com/ferryhq/ferry/app"
	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/admin"
	"github.com/ferryhq/ferry/server/api"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/auth"
	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/feedback"
	"github.com/ferryhq/ferry/server/groups"
	linkcore "github.com/ferryhq/ferry/server/links"
	"github.com/ferryhq/ferry/server/links/review"
	sharelinks "github.com/ferryhq/ferry/server/links/share"
	uploadlinks "github.com/ferryhq/ferry/server/links/upload"
	"github.com/ferryhq/ferry/server/mail"
	"github.com/ferryhq/ferry/server/media"
	"github.com/ferryhq/ferry/server/secure"
	"github.com/ferryhq/ferry/server/store"
	"github.com/ferryhq/ferry/server/uploads"
	"github.com/ferryhq/ferry/server/webapp"
)

// Options are what Run needs besides the configuration.
type Options struct {
	Version string
	Log     *slog.Logger
	// AdminEmail and AdminPassword bootstrap the first admin (FERRY_ADMIN_*).
	AdminEmail, AdminPassword string
	// Ready, if set, is called with the address once the server listens.
	Ready func(addr string)
	// ShutdownTimeout bounds how long running requests may take to finish
	// after the context ends (default 30s); then their connections close.
	ShutdownTimeout time.Duration
	// Routes, if set, is told every route the server answers (tests sweep them).
	Routes func(method, path string)
	// Clock, if set, is the time of every service: expiry of links,
	// sessions, tokens, signed URLs and uploads, throttles and locks, mail
	// retries and digests. Tests set it instead of sleeping (nil:
	// time.Now). Background loops still wake on real timers and then read
	// this clock; Badger's TTLs (link sessions) and the Expires of cookies,
	// which browsers judge, stay on real time.
	Clock func() time.Time
}

// Instance is an opened data directory with its services.
type Instance struct {
	Config config.Config
	Store  *store.Store
	Auth   *auth.Service
	Ops    *admin.Ops
	Secret []byte
	Log    *slog.Logger
}

// Open prepares the data directory and opens the store. It fails fast, naming
// the directory, when another process holds it or it is not writable.
func Open(cfg config.Config, log *slog.Logger) (*Instance, error) { return open(cfg, log, nil) }

// open is Open with the clock of the services (nil: time.Now).
func open(cfg config.Config, log *slog.Logger, clock func() time.Time) (*Instance, error) {
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data_dir %s: cannot create it: %w", cfg.DataDir, err)
	}
	probe := filepath.Join(cfg.DataDir, ".write-test")
	if err := os.WriteFile(probe, nil, 0o600); err != nil {
		return nil, fmt.Errorf("data_dir %s is not writable: %w", cfg.DataDir, err)
	}
	os.Remove(probe)
	for _, d := range []string{"uploads", "originals", "proxies", "certs"} {
		if err := os.MkdirAll(cfg.Path(d), 0o700); err != nil {
			return nil, fmt.Errorf("data_dir %s: %w", cfg.DataDir, err)
		}
	}
	st, err := store.Open(cfg.Path("db"), log)
	if errors.Is(err, store.ErrLocked) {
		return nil, fmt.Errorf("data_dir %s is in use by another ferry process (stop it, or use its socket for admin commands)", cfg.DataDir)
	}
	if err != nil {
		return nil, err
	}
	// Records every visitor's request reads: decoded once per version.
	assets.CacheRecords(st)
	st.CacheDecoded(store.PrefixShareLink, sharelinks.Link{}, 4096, nil)
	auth.CacheRecords(st)
	// A link's key (every public request) and an API token (every token
	// request) hold no pointers: the decoded value is its own copy.
	same := func(v any) any { return v }
	st.CacheDecoded(store.PrefixLinkKey, store.LinkKey{}, 4096, same)
	st.CacheDecoded(store.PrefixTokenHash, "", 1024, same)
	st.CacheDecoded(store.PrefixToken, auth.APIToken{}, 1024, nil)
	secret, err := loadSecret(cfg.Path("secret.key"))
	if err != nil {
		st.Close()
		return nil, err
	}
	a := &auth.Service{
		Store:      st,
		Now:        clock,
		SessionTTL: time.Duration(cfg.Auth.SessionTTL),
		Throttle:   throttle(cfg.Auth.MaxFailures, time.Duration(cfg.Auth.LockDuration), clock),
	}
	return &Instance{Config: cfg, Store: st, Auth: a, Secret: secret, Log: log,
		Ops: &admin.Ops{Store: st, Auth: a, DataDir: cfg.DataDir}}, nil
}

// throttle allows max failures per window on clock.
func throttle(max int, window time.Duration, clock func() time.Time) *auth.Throttle {
	t := auth.NewThrottle(max, window)
	t.Now = clock
	return t
}

// Close closes the store.
func (in *Instance) Close() error { return in.Store.Close() }

func loadSecret(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		if len(b) < 32 {
			return nil, fmt.Errorf("%s is shorter than 32 bytes; restore it from a backup", path)
		}
		return b, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	b = secure.Bytes(32)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return nil, fmt.Errorf("writing %s: %w", path, err)
	}
	return b, nil
}

// Run serves until ctx ends, then shuts down gracefully.
func Run(ctx context.Context, cfg config.Config, opt Options) error {
	log := opt.Log
	clock := opt.Clock
	in, err := open(cfg, log, clock)
	if err != nil {
		return err
	}
	defer in.Close()
	blobs, err := openBlobs(ctx, cfg, log)
	if err != nil {
		return err
	}
	backups, err := openBackups(ctx, cfg, in, blobs, log)
	if err != nil {
		return err
	}

	setup, err := bootstrap(in, opt)
	if err != nil {
		return err
	}
	var ln net.Listener
	var site *httpsSite // automatic HTTPS when domains are set (tls.go)
	if cfg.TLS() {
		if site, err = openHTTPS(cfg, log); err != nil {
			return err
		}
		defer site.close()
	} else {
		if ln, err = listen("listen", cfg.Listen); err != nil {
			return err
		}
		defer ln.Close()
		if strings.HasSuffix(cfg.PublicURL, ":0") { // tests listen on a random port
			cfg.PublicURL = "http://" + ln.Addr().String()
		}
	}
	proxies := &assets.Proxies{
		Renderer: renditions{&media.Renderer{MaxPixels: cfg.Media.MaxPixels, Workers: cfg.Media.Workers, MaxDecodeBytes: cfg.Media.MaxDecodeBytes}},
		Workers:  cfg.Media.Workers,
		Log:      log,
	}
	assetSvc := &assets.Service{Store: in.Store, Now: clock, Blobs: blobs, Queued: proxies.Wake, IsImage: media.IsImage, MediaKind: mediaKind}
	proxies.Service = assetSvc
	videos := &assets.Videos{Service: assetSvc, Workers: cfg.Media.VideoWorkers, Log: log}
	if ff, err := media.FindFFmpeg(cfg.Media.FFmpeg, cfg.Media.FFprobe); err != nil {
		assetSvc.VideoUnavailable = "video processing is not available: ffmpeg not found (install it: apt-get install ffmpeg)"
		log.Warn("video processing: not available (ffmpeg not found); install it with apt-get install ffmpeg, or set media.ffmpeg", slog.Any("err", err))
	} else {
		ff.VideoProxies, ff.MaxPixels = cfg.Media.VideoProxies, cfg.Media.MaxPixels
		ff.TimeoutFactor, ff.MaxMemory = float64(cfg.Media.VideoTimeoutFactor), cfg.Media.VideoMemoryMB<<20
		videos.Engine = mediaEngine{f: ff, r: proxies.Renderer.(renditions).r}
		assetSvc.VideoQueued = videos.Wake
		assetSvc.Deleted = func(ids []string) {
			for _, id := range ids {
				videos.Cancel(id)
			}
		}
		videos.Watermark = func() (assets.Watermarker, bool) {
			w, ok, err := sharelinks.LoadWatermark(in.Store)
			return w, ok && err == nil
		}
		log.Info("video processing: ffmpeg", slog.String("ffmpeg", ff.FFmpeg), slog.String("ffprobe", ff.FFprobe))
	}
	upSvc := &uploads.Service{Assets: assetSvc, Dir: cfg.Path("uploads"), BasePath: api.TusPath,
		MaxSize: cfg.Limits.MaxUploadBytes, MinFree: cfg.Limits.MinFreeBytes,
		MaxPendingPerLink: cfg.Limits.MaxPendingUploadsPerLink, MaxPendingBytesPerLink: cfg.Limits.MaxPendingBytesPerLink,
		Expiry: time.Duration(cfg.Limits.UploadExpiry), Now: clock, Log: log, Bucket: uploadBucket(blobs)}
	tusHandler, err := upSvc.Handler()
	if err != nil {
		return err
	}
	outbox := &mail.Outbox{Store: in.Store, Now: clock}
	// Every kind of link shares one core: the throttle of the gate in
	// front of passwords and passcodes, the hashing slot, the access-log
	// writer.
	linkCore := &linkcore.Core{Store: in.Store, Throttle: throttle(5, 10*time.Minute, clock), Now: clock, Log: log}
	defer linkCore.FlushLog() // the views still in memory, after the last request, before the store closes
	links := &uploadlinks.Links{Core: linkCore, Assets: assetSvc, Uploads: upSvc, Outbox: outbox,
		Templates: mail.Templates{SiteName: cfg.SiteName, PublicURL: cfg.PublicURL}, Secret: in.Secret,
		PublicURL: cfg.PublicURL}
	faceSvc, err := openPeople(in.Store, blobs, assetSvc, cfg.Faces, log, clock)
	if err != nil {
		return err
	}
	shares := &sharelinks.Service{Core: linkCore, Assets: assetSvc, PublicURL: cfg.PublicURL, SiteName: cfg.SiteName, FacesOn: faceSvc.Enabled,
		Outbox: outbox, Templates: mail.Templates{SiteName: cfg.SiteName, PublicURL: cfg.PublicURL}}
	reviewLinks := &review.Links{Core: linkCore, Assets: assetSvc, PublicURL: cfg.PublicURL, SiteName: cfg.SiteName}
	assetSvc.Unstacked = shares.Unstacked // links follow a stack when the version they named goes
	// Before Recover: finishing a link upload updates its link.
	assetSvc.Ledger = linkLedger{uploads: links, shares: shares}
	if n, err := assetSvc.IndexChildOrder(); err != nil {
		return fmt.Errorf("indexing folders: %w", err)
	} else if n > 0 {
		log.Info("indexed the display order of folders", slog.Int("entries", n))
	}
	if n, err := assetSvc.Recover(); err != nil {
		return fmt.Errorf("recovering finished uploads: %w", err)
	} else if n > 0 {
		log.Info("finished uploads interrupted by a restart", slog.Int("count", n))
	}
	if n, err := upSvc.Recover(); err != nil {
		return err
	} else if n > 0 {
		log.Info("completed uploads whose last bytes arrived before a crash", slog.Int("count", n))
	}
	parts := &uploads.Parts{Uploads: upSvc, PartSize: cfg.Limits.UploadPartBytes}
	if n, err := parts.Recover(); err != nil {
		return err
	} else if n > 0 {
		log.Info("completed upload_urls uploads whose last part arrived before a crash", slog.Int("count", n))
	}
	assetsAPI := &api.AssetsAPI{Assets: assetSvc, Uploads: upSvc, Secret: in.Secret, Parts: parts,
		Tus: &api.TusBridge{Uploads: upSvc, Handler: tusHandler, Shares: shares}}
	linksAPI := &api.UploadLinksAPI{Links: links}
	comments := &feedback.Service{Store: in.Store, Now: clock}
	reviewMail := &review.Mailer{Links: reviewLinks, Feedback: comments, Outbox: outbox,
		Templates: mail.Templates{SiteName: cfg.SiteName, PublicURL: cfg.PublicURL}, Log: log,
		Owner: func(id string) (string, string, bool) {
			u, err := in.Auth.GetUser(id)
			return u.Name, u.Email, err == nil && !u.Disabled
		}}
	reviewsAPI := &api.ReviewLinksAPI{Links: reviewLinks, Assets: assetSvc, Feedback: comments, Mail: reviewMail,
		Reviews: &review.Service{Links: reviewLinks, Assets: assetSvc, Feedback: comments}}
	sharesAPI := &api.ShareLinksAPI{Links: shares, Assets: assetSvc}
	privilegesAPI := &api.PrivilegesAPI{Assets: assetSvc, Auth: in.Auth, Groups: &groups.Service{Store: in.Store, Now: clock}}
	visitorsAPI := &api.ShareVisitorAPI{Links: shares}
	// The share page is prerendered with its gallery when that has no side
	// effects (no password, no max uses): visitors see it before the wasm runs.
	// So is an upload link's passcode gate, for a visitor without a session.
	web, err := webapp.New(cfg.SiteName, opt.Version, ferryapp.Options{PeekShare: shares.Peek, PeekUpload: func(key string) *model.PublicUploadLink {
		l, err := links.Public(key, "")
		if err != nil {
			return nil
		}
		return &l
	}, PeekReview: func(key string) *model.PublicReview {
		r, ok := reviewLinks.Peek(key)
		if !ok {
			return nil
		}
		// As the link's JSON answers a reviewer without a session: the
		// header alone behind a password; the page draws only the gate.
		v, err := reviewsAPI.Reviews.Page(r, "", r.PasswordHash == "")
		if err != nil {
			return nil
		}
		return &v
	}})
	if err != nil {
		return err
	}
	if !web.HasWasm() {
		log.Warn("this binary has no web app built in; build with `make build` for the browser UI")
	}
	sender := &mail.Sender{Outbox: outbox, SMTPURL: cfg.SMTP.URL, From: cfg.SMTP.From,
		SiteName: cfg.SiteName, PublicURL: cfg.PublicURL, Log: log}
	if err := sender.Check(); err != nil {
		return err
	}
	// smtp.url from the config or environment wins; otherwise what an admin
	// set in Settings > Email applies.
	sender.Locked = cfg.SMTP.URL != ""
	if !sender.Locked {
		if saved, ok, err := mail.LoadSettings(in.Store); err != nil {
			return err
		} else if ok {
			if err := sender.Configure(saved.SMTPURL, saved.From); err != nil {
				log.Warn("mail: the SMTP settings saved in Settings are unusable", slog.Any("err", err))
			}
		}
	}
	mailAPI := &api.MailAPI{Outbox: outbox, Sender: sender, Store: in.Store}
	bg, stopBG := context.WithCancel(context.Background())
	var bgDone sync.WaitGroup
	bgDone.Add(7)
	go func() { defer bgDone.Done(); faceSvc.Run(bg) }()
	go func() {
		defer bgDone.Done()
		if backups != nil {
			backups.Run(bg) // its last run after bg ends, before the database closes
		}
	}()
	go func() {
		defer bgDone.Done()
		if videos.Engine != nil {
			videos.Run(bg)
		}
	}()
	go func() { defer bgDone.Done(); reviewMail.Run(bg, time.Duration(cfg.Review.DigestInterval)) }()
	go func() { defer bgDone.Done(); proxies.Run(bg) }()
	go func() { defer bgDone.Done(); upSvc.RunSweeper(bg, min(10*time.Minute, upSvc.Expiry/2)) }()
	go func() { defer bgDone.Done(); sender.Run(bg) }()
	defer func() { stopBG(); bgDone.Wait() }()

	srv := &api.Server{
		Config:  cfg,
		Store:   in.Store,
		Auth:    in.Auth,
		Log:     log,
		Metrics: api.NewMetrics(),
		Setup:   setup,
		Video:   assetSvc.VideoUnavailable,
		Account: api.AccountOf(in.Secret),
		Clock:   clock,
		Web:     web.Handler,
		Static:  web.Static,
		SharePages: web.SharePages(webapp.SharePages{Changes: in.Store.Changes, Now: clock,
			Viewed: func(key, addr, userAgent string) {
				shares.LogView(key, sharelinks.Visitor{Addr: addr, UserAgent: userAgent})
			}}),
		GatePages: web.GatePages(api.LinkCookie),
		Handlers: api.Handlers{Assets: assetsAPI, Mail: mailAPI, UploadLinks: linksAPI, ReviewLinks: reviewsAPI,
			ShareLinks: sharesAPI, Privileges: privilegesAPI, Visitors: visitorsAPI,
			Faces: &api.FacesAPI{People: faceSvc, Links: shares, Assets: assetSvc}},
	}
	srv.Metrics.Jobs = jobStats(log, proxies.Stats, videos.Stats, faceSvc.Stats)
	app := srv.App()
	if cfg.MetricsListen != "" {
		stop, err := serveMetrics(cfg.MetricsListen, srv, in.Store, log)
		if err != nil {
			return err
		}
		defer stop()
	}
	if opt.Routes != nil {
		for _, r := range app.GetRoutes(true) {
			opt.Routes(r.Method, r.Path)
		}
	}

	sockCtx, stopSock := context.WithCancel(ctx)
	defer stopSock()
	if err := in.Ops.ServeSocket(sockCtx, cfg.Path(admin.SocketName)); err != nil {
		return err
	}

	announce := func(addr string) {
		log.Info("ferry is serving", slog.String("url", cfg.PublicURL), slog.String("listen", addr), slog.String("data_dir", cfg.DataDir))
		if setup.Secret() != "" {
			fmt.Fprintf(os.Stderr, "\nNo users yet. Open this one-time link to create the first admin:\n\n    %s/setup?token=%s\n\n", cfg.PublicURL, setup.Secret())
		}
		if opt.Ready != nil {
			opt.Ready(addr)
		}
	}
	grace := opt.ShutdownTimeout
	if grace <= 0 {
		grace = 30 * time.Second
	}
	if site != nil {
		return site.serve(ctx, app, grace, announce)
	}
	conns := trackConns(app)
	announce(ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- app.Listener(watch(ln, connsPerIP(cfg))) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownApp(app, conns, grace, log)
	return nil
}

// serveMetrics serves /metrics without login on addr (metrics_listen),
// for a scraper on a private address; it returns the function that stops it.
func serveMetrics(addr string, srv *api.Server, st *store.Store, log *slog.Logger) (func(), error) {
	ln, err := listen("metrics_listen", addr)
	if err != nil {
		return nil, err
	}
	m := fiber.New(fiber.Config{DisableStartupMessage: true, ReadTimeout: 10 * time.Second, IdleTimeout: time.Minute})
	m.Get("/metrics", srv.Metrics.Handler(st))
	go func() {
		if err := m.Listener(ln); err != nil {
			log.Warn("metrics listener stopped", slog.Any("err", err))
		}
	}()
	log.Info("metrics are served without login", slog.String("metrics_listen", ln.Addr().String()))
	return func() { m.ShutdownWithTimeout(5 * time.Second) }, nil
}

// linkLedger books each link upload with the kind of link it came
// through: a share link (visitor uploads, inboxes) or an upload link.
type linkLedger struct {
	uploads *uploadlinks.Links
	shares  *sharelinks.Service
}

func (l linkLedger) of(tx *store.Tx, u assets.Upload) assets.UploadLedger {
	if sharelinks.OwnsUpload(tx, u) {
		return l.shares
	}
	return l.uploads
}

func (l linkLedger) Reserve(tx *store.Tx, u assets.Upload) error { return l.of(tx, u).Reserve(tx, u) }

func (l linkLedger) Completed(tx *store.Tx, u assets.Upload, a assets.Asset) error {
	return l.of(tx, u).Completed(tx, u, a)
}

func (l linkLedger) Released(tx *store.Tx, u assets.Upload) error { return l.of(tx, u).Released(tx, u) }

// forceWait bounds the wait for handlers once shutdown closed their
// connections.
const forceWait = 5 * time.Second

// shutdownApp stops accepting and lets running requests, upload PATCHes
// included, finish for up to grace. Connections still busy then are closed
// (a cut PATCH keeps what it received and resumes later), and their
// handlers get forceWait to return, so the store is closed after them.
func shutdownApp(app *fiber.App, conns *connSet, grace time.Duration, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	// Connections that never sent a byte (spare ones clients and browsers
	// open ahead) hold no request: close them now rather than let them
	// count as busy until the grace period ends.
	stop := make(chan struct{})
	go func() {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			conns.closeUnused()
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	err := app.ShutdownWithContext(ctx)
	close(stop)
	if err == nil {
		return
	}
	n, states := conns.closeAll()
	log.Warn("closed connections still busy after the shutdown grace period", slog.Int("connections", n), slog.String("states", states), slog.Duration("grace", grace))
	// fasthttp's count can dip below zero once its shutdown gave up.
	if !waitUntil(func() bool { return app.Server().GetOpenConnectionsCount() <= 0 }, forceWait) {
		log.Warn("requests still running after their connections closed", slog.Int("count", int(app.Server().GetOpenConnectionsCount())))
	}
}

// waitUntil polls cond until it holds or max passes.
func waitUntil(cond func() bool, max time.Duration) bool {
	deadline := time.Now().Add(max)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return true
}

// connSet tracks the connections of a fiber app's server through its
// ConnState hook, so shutdown can close the ones still open.
type connSet struct {
	mu   sync.Mutex
	open map[net.Conn]fasthttp.ConnState
}

// trackConns must be called before the app serves.
func trackConns(app *fiber.App) *connSet {
	s := &connSet{open: map[net.Conn]fasthttp.ConnState{}}
	app.Server().ConnState = func(c net.Conn, state fasthttp.ConnState) {
		s.mu.Lock()
		defer s.mu.Unlock()
		switch state {
		case fasthttp.StateClosed, fasthttp.StateHijacked:
			delete(s.open, c)
		default:
			s.open[c] = state
		}
	}
	return s
}

// closeUnused closes the connections that never sent a byte: spares that
// clients and browsers open ahead hold no request. (fasthttp calls a new
// connection active before reading from it, so its state cannot tell.)
func (s *connSet) closeUnused() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.open {
		if w, ok := c.(interface{ unused() bool }); ok && w.unused() {
			c.Close()
			delete(s.open, c)
		}
	}
}

// watch wraps the connections ln accepts so that closeUnused can tell the
// ones that never sent a byte, and refuses a connection beyond maxPerIP
// open ones from the same address (0: no cap).
func watch(ln net.Listener, maxPerIP int) net.Listener {
	return &watchListener{Listener: ln, max: maxPerIP, open: map[string]int{}}
}

// connsPerIP is the per-address cap of cfg: behind trusted proxies every
// peer is a proxy, so there is none.
func connsPerIP(cfg config.Config) int {
	if len(cfg.TrustedProxies) > 0 {
		return 0
	}
	return cfg.Limits.MaxConnsPerIP
}

type watchListener struct {
	net.Listener
	max  int
	mu   sync.Mutex
	open map[string]int // connections per address
}

// tooManyConns is all a refused connection gets (plain HTTP only).
const tooManyConns = "HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 45\r\n\r\ntoo many open connections from your address\r\n"

func (l *watchListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		ip := ""
		if l.max > 0 {
			ip, _, _ = net.SplitHostPort(c.RemoteAddr().String())
			if !l.take(ip) {
				if _, plain := c.(*net.TCPConn); plain {
					c.SetWriteDeadline(time.Now().Add(time.Second))
					io.WriteString(c, tooManyConns)
				}
				c.Close()
				continue
			}
		}
		w := &watchedConn{Conn: c, ip: ip, l: l}
		if t, ok := c.(tlsConn); ok {
			return &watchedTLSConn{watchedConn: w, tls: t}, nil
		}
		return w, nil
	}
}

// take counts a new connection from ip, unless ip is at the cap.
func (l *watchListener) take(ip string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[ip] >= l.max {
		return false
	}
	l.open[ip]++
	return true
}

func (l *watchListener) release(ip string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[ip]--; l.open[ip] <= 0 {
		delete(l.open, ip)
	}
}

// watchedConn notes its first byte read. ReadFrom keeps the socket's own,
// which is how responses reach sendfile.
type watchedConn struct {
	net.Conn
	read   atomic.Bool
	ip     string // counted against the listener's cap when not ""
	l      *watchListener
	closed sync.Once
}

func (c *watchedConn) Close() error {
	err := c.Conn.Close()
	c.closed.Do(func() {
		if c.ip != "" {
			c.l.release(c.ip)
		}
	})
	return err
}

func (c *watchedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 && !c.read.Load() {
		c.read.Store(true)
	}
	return n, err
}

func (c *watchedConn) ReadFrom(r io.Reader) (int64, error) {
	if rf, ok := c.Conn.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(struct{ io.Writer }{c.Conn}, r)
}

func (c *watchedConn) unused() bool { return !c.read.Load() }

// tlsConn is what fasthttp looks for to call a connection TLS (IsTLS).
type tlsConn interface {
	Handshake() error
	ConnectionState() tls.ConnectionState
}

type watchedTLSConn struct {
	*watchedConn
	tls tlsConn
}

func (c *watchedTLSConn) Handshake() error                     { return c.tls.Handshake() }
func (c *watchedTLSConn) ConnectionState() tls.ConnectionState { return c.tls.ConnectionState() }

// closeAll closes every open connection and reports how many there were,
// and in which states.
func (s *connSet) closeAll() (int, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	count := map[string]int{}
	for c, st := range s.open {
		c.Close()
		count[st.String()]++
	}
	var states []string
	for st, n := range count {
		states = append(states, fmt.Sprintf("%s:%d", st, n))
	}
	sort.Strings(states)
	return len(s.open), strings.Join(states, " ")
}

// bootstrap creates the first admin from the environment, or returns a
// one-time setup token when there are no users.
func bootstrap(in *Instance, opt Options) (*api.SetupToken, error) {
	n, err := in.Auth.CountUsers()
	if err != nil {
		return nil, err
	}
	if n > 0 {
		return nil, nil
	}
	if opt.AdminEmail != "" && opt.AdminPassword != "" {
		u, err := in.Auth.CreateUser(auth.NewUser{Email: opt.AdminEmail, Name: "Admin", Role: auth.RoleAdmin, Password: opt.AdminPassword})
		if err != nil {
			return nil, fmt.Errorf("FERRY_ADMIN_EMAIL/FERRY_ADMIN_PASSWORD: %w", err)
		}
		in.Log.Info("created the first admin from the environment", slog.String("email", u.Email))
		return nil, nil
	}
	return api.NewSetupToken(), nil
}
