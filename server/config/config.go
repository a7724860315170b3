// Package config loads Ferry's configuration: defaults, then a YAML file, then
// FERRY_* environment variables, then command-line flags. It is loaded and
// validated once and passed down as a value.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Config is every setting Ferry reads. Field tags give the YAML key; the
// environment name is FERRY_ + the key path upper-cased with "." → "_".
type Config struct {
	Listen         string   `yaml:"listen"`
	DataDir        string   `yaml:"data_dir"`
	PublicURL      string   `yaml:"public_url"`
	SiteName       string   `yaml:"site_name"`
	Domains        []string `yaml:"domains"`
	HTTPSListen    string   `yaml:"https_listen"`
	HTTPListen     string   `yaml:"http_listen"`
	TrustedProxies []string `yaml:"trusted_proxies"`
	ACME           ACME     `yaml:"acme"`
	SMTP           SMTP     `yaml:"smtp"`
	Limits         Limits   `yaml:"limits"`
	Media          Media    `yaml:"media"`
	Faces          Faces    `yaml:"faces"`
	Auth           Auth     `yaml:"auth"`
	Review         Review   `yaml:"review"`
	CORS           CORS     `yaml:"cors"`
	LogLevel       string   `yaml:"log_level"`
	Storage        Storage  `yaml:"storage"`
	S3             S3       `yaml:"s3"`
	Backup         Backup   `yaml:"backup"`

	// RobotsTxt is the text served at /robots.txt. The default keeps
	// crawlers out of everything: links are for the people given them.
	RobotsTxt string `yaml:"robots_txt"`

	// MetricsListen, when set, serves /metrics without login on this
	// address (for a scraper); on the main address it needs an admin.
	MetricsListen string `yaml:"metrics_listen"`
}

// Storage picks where file bytes live.
type Storage struct {
	// Backend is "disk" (under data_dir, the default) or "s3" (the s3 section).
	Backend string `yaml:"backend"`
}

// S3 is an S3-compatible object store for the bytes (storage.backend: s3)
// and the metadata backups (backup.to: s3). The credentials come only from
// FERRY_S3_ACCESS_KEY and FERRY_S3_SECRET_KEY, so they are in no file and
// no dump of the configuration.
type S3 struct {
	// Endpoint is the store's URL, e.g. https://s3.eu-west-1.amazonaws.com
	// or http://127.0.0.1:9000 (plain http only for loopback).
	Endpoint  string `yaml:"endpoint"`
	Region    string `yaml:"region"`
	Bucket    string `yaml:"bucket"`
	Prefix    string `yaml:"prefix"`
	PathStyle bool   `yaml:"path_style"`
	// CAFile is a PEM file of extra roots to verify the store's certificate.
	CAFile string `yaml:"ca_file"`
	// PresignDownloads answers downloads with a 302 to a short-lived
	// presigned URL, so the bytes do not pass through Ferry.
	PresignDownloads bool `yaml:"presign_downloads"`
	// CacheBytes bounds the local copies of originals kept for the media
	// tools (ffmpeg, the image renderer), which need a file.
	CacheBytes int64 `yaml:"cache_bytes"`
	// RenditionCacheBytes bounds the local copies of renditions (proxies,
	// posters, video renditions, watermarked copies, face crops), whose
	// store of record is the bucket; 0 keeps them all.
	RenditionCacheBytes int64 `yaml:"rendition_cache_bytes"`

	AccessKey string `yaml:"-"`
	SecretKey string `yaml:"-"`
}

// Backup configures continuous metadata backups.
type Backup struct {
	// To is "" (off) or "s3" (the s3 section's bucket, under prefix/backup/).
	To       string   `yaml:"to"`
	Interval Duration `yaml:"interval"`
	// Keep is how many full backup chains are kept (older are removed).
	Keep int `yaml:"keep"`
}

// Review configures review links.
type Review struct {
	// DigestInterval is how often owners get a mail of new feedback on
	// their review links (0 turns digests off).
	DigestInterval Duration `yaml:"digest_interval"`
}

// CORS lets web apps on other origins call the API and the tus endpoint.
type CORS struct {
	// AllowedOrigins are exact origins ("https://app.example.com");
	// empty turns CORS off.
	AllowedOrigins []string `yaml:"allowed_origins"`
}

// ACME configures certificate issuance when Domains is set.
type ACME struct {
	CA     string `yaml:"ca"`
	Email  string `yaml:"email"`
	CARoot string `yaml:"ca_root"`
}

// SMTP configures outgoing mail.
type SMTP struct {
	URL  string `yaml:"url"`
	From string `yaml:"from"`
}

// Limits bounds what clients may send.
type Limits struct {
	MaxUploadBytes int64    `yaml:"max_upload_bytes"`
	MaxJSONBytes   int64    `yaml:"max_json_bytes"`
	UploadExpiry   Duration `yaml:"upload_expiry"`
	MinFreeBytes   int64    `yaml:"min_free_bytes"`
	// HeaderTimeout bounds the wait for a request's headers, from the
	// connection's opening or a keep-alive request's first byte.
	HeaderTimeout Duration `yaml:"header_timeout"`
	// BodyTimeout bounds the reading of a request body; a tus PATCH
	// extends it with every read, so an upload that keeps sending runs on.
	BodyTimeout Duration `yaml:"body_timeout"`
	// IdleTimeout closes keep-alive connections idle this long.
	IdleTimeout Duration `yaml:"idle_timeout"`
	// MaxConnsPerIP caps the open connections of one client address (0: no
	// cap). Off behind trusted_proxies, where every peer is the proxy.
	MaxConnsPerIP int `yaml:"max_conns_per_ip"`
	// MaxPendingUploadsPerLink and MaxPendingBytesPerLink bound the
	// unfinished uploads through one share or upload link: how many, and
	// the bytes they announced and have still to send (0: no limit).
	MaxPendingUploadsPerLink int   `yaml:"max_pending_uploads_per_link"`
	MaxPendingBytesPerLink   int64 `yaml:"max_pending_bytes_per_link"`
	// UploadPartBytes is the largest part of a Frame.io upload_urls upload.
	UploadPartBytes int64 `yaml:"upload_part_bytes"`
}

// Media configures proxy generation.
type Media struct {
	Workers   int   `yaml:"workers"`
	MaxPixels int64 `yaml:"max_pixels"`
	// MaxDecodeBytes bounds the memory of images being decoded at once
	// (width × height × bytes per pixel, over all workers); an image that
	// alone needs more gets no proxies (too_large).
	MaxDecodeBytes int64 `yaml:"max_decode_bytes"`
	// FFmpeg and FFprobe are the programs video and audio go through;
	// empty: ffmpeg on PATH, ffprobe next to it (or on PATH).
	FFmpeg  string `yaml:"ffmpeg"`
	FFprobe string `yaml:"ffprobe"`
	// VideoWorkers bounds the ffmpeg processes running at once.
	VideoWorkers int `yaml:"video_workers"`
	// VideoProxies are the heights of the H.264 proxies made of each video.
	VideoProxies []int `yaml:"video_proxies"`
	// VideoTimeoutFactor stops an ffmpeg run after a minute plus this many
	// times the media's duration.
	VideoTimeoutFactor int `yaml:"video_timeout_factor"`
	// VideoMemoryMB caps each ffmpeg process's address space; 0: no cap.
	VideoMemoryMB int64 `yaml:"video_memory_mb"`
}

// Faces configures face recognition, which an admin switches on in
// Settings (off by default).
type Faces struct {
	// Workers bounds the photos analysed at once.
	Workers int `yaml:"workers"`
	// SmallFaces looks at each photo again in four overlapping tiles, for
	// faces under about 1/10 of its long side (indexing then costs about
	// five times the detection).
	SmallFaces bool `yaml:"small_faces"`
}

// Auth configures sessions and login throttling.
type Auth struct {
	SessionTTL   Duration `yaml:"session_ttl"`
	MaxFailures  int      `yaml:"max_failures"`
	LockDuration Duration `yaml:"lock_duration"`
}

// Duration is a time.Duration written as "15m", "24h" in YAML and env.
type Duration time.Duration

// UnmarshalText parses a Go duration string.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// MarshalText prints the duration.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// Defaults are the settings of a Ferry started with no configuration.
func Defaults() Config {
	return Config{
		Listen:   "127.0.0.1:8080",
		DataDir:  "./data",
		SiteName: "Ferry",
		Limits: Limits{
			MaxUploadBytes: 50 << 30,
			MaxJSONBytes:   1 << 20,
			UploadExpiry:   Duration(7 * 24 * time.Hour),
			MinFreeBytes:   256 << 20,
			HeaderTimeout:  Duration(20 * time.Second),
			BodyTimeout:    Duration(60 * time.Second),
			IdleTimeout:    Duration(2 * time.Minute),
			MaxConnsPerIP:  128,

			UploadPartBytes: 100 << 20,

			MaxPendingUploadsPerLink: 50,
			MaxPendingBytesPerLink:   100 << 30,
		},
		Faces: Faces{Workers: 1},
		Media: Media{Workers: runtime.NumCPU(), MaxPixels: 100_000_000, MaxDecodeBytes: 512 << 20, VideoWorkers: 1,
			VideoProxies: []int{720}, VideoTimeoutFactor: 10, VideoMemoryMB: 4096},
		Auth: Auth{
			SessionTTL:   Duration(14 * 24 * time.Hour),
			MaxFailures:  5,
			LockDuration: Duration(15 * time.Minute),
		},
		Review:    Review{DigestInterval: Duration(15 * time.Minute)},
		LogLevel:  "info",
		RobotsTxt: DefaultRobotsTxt,
		Storage:   Storage{Backend: "disk"},
		S3:        S3{Region: "us-east-1", CacheBytes: 10 << 30, RenditionCacheBytes: 2 << 30},
		Backup:    Backup{Interval: Duration(time.Minute), Keep: 3},
	}
}

// DefaultRobotsTxt asks every crawler to stay out of the whole site. A
// Ferry has nothing meant for search engines: share, review and upload
// links are for the people given them, the rest needs a login.
const DefaultRobotsTxt = "User-agent: *\nDisallow: /\n"

// KeyError names the configuration key that was refused.
type KeyError struct {
	Key    string
	Reason string
}

func (e *KeyError) Error() string { return fmt.Sprintf("config: %s: %s", e.Key, e.Reason) }

// Load builds the configuration: defaults, file (path, or ./ferry.yaml when
// path is empty and that file exists), environment, then the flags given as
// key → value (keys are YAML paths such as "listen" or "acme.ca").
func Load(path string, env []string, flags map[string]string) (Config, error) {
	c := Defaults()
	if path == "" {
		if _, err := os.Stat("ferry.yaml"); err == nil {
			path = "ferry.yaml"
		}
	}
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return c, fmt.Errorf("config: reading %s: %w", path, err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(b))
		dec.KnownFields(true)
		if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
			return c, fmt.Errorf("config: %s: %w", path, err)
		}
	}
	fields := Keys(&c)
	envMap := map[string]string{}
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(k, "FERRY_") {
			envMap[k] = v
		}
	}
	for _, f := range fields {
		if v, ok := envMap[EnvName(f.Key)]; ok {
			if err := setField(f.Value, v); err != nil {
				return c, &KeyError{Key: f.Key, Reason: fmt.Sprintf("%s=%q: %v", EnvName(f.Key), v, err)}
			}
		}
	}
	byKey := map[string]reflect.Value{}
	for _, f := range fields {
		byKey[f.Key] = f.Value
	}
	for k, v := range flags {
		f, ok := byKey[k]
		if !ok {
			return c, &KeyError{Key: k, Reason: "unknown key"}
		}
		if err := setField(f, v); err != nil {
			return c, &KeyError{Key: k, Reason: err.Error()}
		}
	}
	// The object store's credentials are read from the environment only.
	c.S3.AccessKey, c.S3.SecretKey = envMap["FERRY_S3_ACCESS_KEY"], envMap["FERRY_S3_SECRET_KEY"]
	c.applyDerived()
	return c, c.Validate()
}

// Field is one leaf key of the configuration.
type Field struct {
	Key   string
	Value reflect.Value
}

// Keys lists every leaf key of c (addressable, so Load can set it).
func Keys(c *Config) []Field {
	var out []Field
	var walk func(prefix string, v reflect.Value)
	walk = func(prefix string, v reflect.Value) {
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			tag := t.Field(i).Tag.Get("yaml")
			if tag == "" || tag == "-" {
				continue
			}
			key := tag
			if prefix != "" {
				key = prefix + "." + tag
			}
			fv := v.Field(i)
			if fv.Kind() == reflect.Struct {
				walk(key, fv)
				continue
			}
			out = append(out, Field{Key: key, Value: fv})
		}
	}
	walk("", reflect.ValueOf(c).Elem())
	return out
}

// EnvName is the environment variable for a key: acme.ca_root → FERRY_ACME_CA_ROOT.
func EnvName(key string) string {
	return "FERRY_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

func setField(f reflect.Value, s string) error {
	if f.Type() == reflect.TypeOf(Duration(0)) {
		d, err := time.ParseDuration(s)
		if err != nil {
			return errors.New("not a duration (e.g. 15m, 24h)")
		}
		f.SetInt(int64(d))
		return nil
	}
	switch f.Kind() {
	case reflect.String:
		f.SetString(s)
	case reflect.Bool:
		b, err := strconv.ParseBool(strings.TrimSpace(s))
		if err != nil {
			return errors.New("want true or false")
		}
		f.SetBool(b)
	case reflect.Int, reflect.Int64:
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return errors.New("not an integer")
		}
		f.SetInt(n)
	case reflect.Slice:
		if f.Type().Elem().Kind() == reflect.Int {
			var ns []int
			for _, p := range strings.Split(s, ",") {
				if p = strings.TrimSpace(p); p == "" {
					continue
				}
				n, err := strconv.Atoi(p)
				if err != nil {
					return fmt.Errorf("%q is not an integer (want a comma list such as 540,720)", p)
				}
				ns = append(ns, n)
			}
			f.Set(reflect.ValueOf(ns))
			return nil
		}
		var parts []string
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				parts = append(parts, p)
			}
		}
		f.Set(reflect.ValueOf(parts))
	default:
		return fmt.Errorf("unsupported kind %s", f.Kind())
	}
	return nil
}

func (c *Config) applyDerived() {
	if len(c.Domains) > 0 {
		if c.HTTPSListen == "" {
			c.HTTPSListen = ":443"
		}
		if c.HTTPListen == "" {
			c.HTTPListen = ":80"
		}
		if c.PublicURL == "" {
			c.PublicURL = "https://" + c.Domains[0]
		}
	}
	if c.PublicURL == "" {
		host := c.Listen
		if h, p, err := net.SplitHostPort(c.Listen); err == nil && (h == "" || h == "0.0.0.0" || h == "::") {
			host = net.JoinHostPort("localhost", p)
		}
		c.PublicURL = "http://" + host
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	if c.Media.Workers <= 0 {
		c.Media.Workers = runtime.NumCPU()
	}
}

// Validate refuses settings that cannot work, naming the key.
func (c Config) Validate() error {
	if _, port, err := net.SplitHostPort(c.Listen); err != nil || port == "" {
		return &KeyError{"listen", "want host:port, e.g. 127.0.0.1:8080"}
	}
	if c.MetricsListen != "" {
		if _, port, err := net.SplitHostPort(c.MetricsListen); err != nil || port == "" {
			return &KeyError{"metrics_listen", "want host:port, e.g. 127.0.0.1:9100"}
		}
	}
	if strings.TrimSpace(c.DataDir) == "" {
		return &KeyError{"data_dir", "must not be empty"}
	}
	if c.S3.RenditionCacheBytes < 0 {
		return &KeyError{"s3.rendition_cache_bytes", "must not be negative (0 keeps every rendition)"}
	}
	if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return &KeyError{"public_url", "want an absolute http(s) URL"}
	}
	for _, d := range c.Domains {
		if problem := hostnameProblem(d); problem != "" {
			return &KeyError{"domains", fmt.Sprintf("%q %s", d, problem)}
		}
	}
	if c.TLS() {
		for _, l := range []struct{ key, addr string }{{"https_listen", c.HTTPSListen}, {"http_listen", c.HTTPListen}} {
			if _, port, err := net.SplitHostPort(l.addr); err != nil || port == "" {
				return &KeyError{l.key, "want host:port or :port, e.g. :443"}
			}
		}
		if c.HTTPSListen == c.HTTPListen {
			return &KeyError{"http_listen", "must differ from https_listen"}
		}
	}
	for _, cidr := range c.TrustedProxies {
		if _, _, err := net.ParseCIDR(cidr); err != nil {
			return &KeyError{"trusted_proxies", fmt.Sprintf("%q is not a CIDR", cidr)}
		}
	}
	if c.SMTP.URL != "" {
		u, err := url.Parse(c.SMTP.URL)
		if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Host == "" {
			return &KeyError{"smtp.url", "want smtp://user:pass@host:port or smtps://host:465"}
		}
	}
	if c.ACME.CA != "" {
		if u, err := url.Parse(c.ACME.CA); err != nil || u.Scheme != "https" || u.Host == "" {
			return &KeyError{"acme.ca", "want the https URL of an ACME directory"}
		}
	}
	if c.ACME.CARoot != "" {
		if _, err := os.ReadFile(c.ACME.CARoot); err != nil {
			return &KeyError{"acme.ca_root", "cannot read it: " + err.Error()}
		}
	}
	if c.Limits.MaxUploadBytes <= 0 {
		return &KeyError{"limits.max_upload_bytes", "must be positive"}
	}
	if c.Limits.MaxJSONBytes < 1024 {
		return &KeyError{"limits.max_json_bytes", "must be at least 1024"}
	}
	for _, d := range []struct {
		key string
		v   Duration
	}{{"limits.header_timeout", c.Limits.HeaderTimeout}, {"limits.body_timeout", c.Limits.BodyTimeout}, {"limits.idle_timeout", c.Limits.IdleTimeout}} {
		if d.v < Duration(time.Second) {
			return &KeyError{d.key, "must be at least 1s"}
		}
	}
	if c.Limits.MaxPendingUploadsPerLink < 0 {
		return &KeyError{"limits.max_pending_uploads_per_link", "must be 0 (no limit) or positive"}
	}
	if c.Limits.MaxPendingBytesPerLink < 0 {
		return &KeyError{"limits.max_pending_bytes_per_link", "must be 0 (no limit) or positive"}
	}
	if c.Limits.MaxConnsPerIP < 0 {
		return &KeyError{"limits.max_conns_per_ip", "must be 0 (no cap) or positive"}
	}
	if c.Limits.UploadPartBytes < 1024 {
		return &KeyError{"limits.upload_part_bytes", "must be at least 1024"}
	}
	for _, o := range c.CORS.AllowedOrigins {
		if problem := originProblem(o); problem != "" {
			return &KeyError{"cors.allowed_origins", fmt.Sprintf("%q %s", o, problem)}
		}
	}
	if c.Media.MaxPixels <= 0 {
		return &KeyError{"media.max_pixels", "must be positive"}
	}
	if c.Media.MaxDecodeBytes < 1<<20 {
		return &KeyError{"media.max_decode_bytes", "must be at least 1048576 (1 MiB)"}
	}
	if c.Faces.Workers < 1 {
		return &KeyError{"faces.workers", "must be at least 1"}
	}
	if c.Media.VideoWorkers < 1 {
		return &KeyError{"media.video_workers", "must be at least 1"}
	}
	if len(c.Media.VideoProxies) == 0 {
		return &KeyError{"media.video_proxies", "name at least one height, e.g. [720]"}
	}
	for _, h := range c.Media.VideoProxies {
		if h < 144 || h > 4320 || h%2 != 0 {
			return &KeyError{"media.video_proxies", fmt.Sprintf("%d is not an even height between 144 and 4320", h)}
		}
	}
	if c.Media.VideoMemoryMB != 0 && c.Media.VideoMemoryMB < 256 {
		return &KeyError{"media.video_memory_mb", "want 0 (no cap) or at least 256"}
	}
	if c.Media.VideoTimeoutFactor < 1 {
		return &KeyError{"media.video_timeout_factor", "must be at least 1"}
	}
	if err := c.validateStorage(); err != nil {
		return err
	}
	if c.Auth.MaxFailures <= 0 {
		return &KeyError{"auth.max_failures", "must be positive"}
	}
	if problem := robotsProblem(c.RobotsTxt); problem != "" {
		return &KeyError{"robots_txt", problem}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return &KeyError{"log_level", "want debug, info, warn or error"}
	}
	return nil
}

// robotsProblem says why text is not a robots.txt (RFC 9309), or "" when
// it is: a size crawlers read whole, and lines that are comments, blank or
// "field: value" (a stray FERRY_ROBOTS_TXT=false would be none of these).
func robotsProblem(text string) string {
	if len(text) > 500<<10 {
		return "is longer than 500 KiB, more than crawlers read"
	}
	if strings.TrimSpace(text) == "" {
		return "is empty; to allow everything write \"User-agent: *\" and \"Disallow:\" on two lines"
	}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if field, _, ok := strings.Cut(line, ":"); !ok || strings.TrimSpace(field) == "" {
			return fmt.Sprintf("line %d %q is not \"field: value\" (e.g. \"Disallow: /\")", i+1, line)
		}
	}
	return ""
}

// originProblem says why o is not an origin CORS can allow, or "" when it is.
func originProblem(o string) string {
	if o == "*" {
		return "is a wildcard; list each origin (credentials are never shared with *)"
	}
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.User != nil {
		return "is not an origin; want scheme://host[:port], e.g. https://app.example.com"
	}
	return ""
}

// hostnameProblem says why name cannot get a certificate through an
// HTTP-01 challenge, or "" when it can.
func hostnameProblem(name string) string {
	switch {
	case net.ParseIP(name) != nil:
		return "is an IP address; automatic HTTPS needs a domain name"
	case strings.HasPrefix(name, "*."):
		return "is a wildcard, which needs the DNS challenge; list the names instead"
	case len(name) > 253:
		return "is not a valid host name (longer than 253 characters)"
	}
	for _, label := range strings.Split(name, ".") {
		if label == "" || len(label) > 63 {
			return "is not a valid host name (a label is empty or longer than 63 characters)"
		}
		if label[0] == '-' || label[len(label)-1] == '-' {
			return "is not a valid host name (a label starts or ends with '-')"
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				return fmt.Sprintf("is not a valid host name (%q is not allowed; use letters, digits, '-', and punycode for international names)", r)
			}
		}
	}
	return ""
}

// TLS reports whether Ferry serves HTTPS itself.
func (c Config) TLS() bool { return len(c.Domains) > 0 }

// Path joins a name under the data directory.
func (c Config) Path(elem ...string) string {
	return filepath.Join(append([]string{c.DataDir}, elem...)...)
}
