//go:build !js

package testkit

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// PebbleServer is a Pebble ACME test server that validates every challenge
// without connecting anywhere.
type PebbleServer struct {
	DirectoryURL  string // https://127.0.0.1:P/dir, the ACME directory
	ManagementURL string // https://127.0.0.1:P, with /roots/0 and /intermediates/0
	RootCAFile    string // PEM of the minica root that signs both HTTPS listeners
	HTTPPort      int    // port Pebble would use for http-01 validation
	TLSPort       int    // port Pebble would use for tls-alpn-01 validation
	http          *http.Client
}

// Pebble starts Pebble with the http-01 and tls-alpn-01 ports of its test
// config (5002, 5001); see PebbleWithPorts.
func Pebble(t testing.TB) *PebbleServer {
	t.Helper()
	return PebbleWithPorts(t, 5002, 5001)
}

// PebbleWithPorts starts .tools/bin/pebble (scripts/install-pebble.sh) on
// free loopback ports with its test config, the given validation ports and
// retry delays of one second, waits until its directory answers, and stops
// it when the test ends. Every authorization is valid at once
// (PEBBLE_VA_ALWAYS_VALID) and no nonce is rejected at random.
func PebbleWithPorts(t testing.TB, httpPort, tlsPort int) *PebbleServer {
	t.Helper()
	bin := ToolPath(t, "pebble")
	dir := filepath.Join(RepoRoot(t), ".tools", "pebble")
	raw, err := os.ReadFile(filepath.Join(dir, "config", "pebble-config.json"))
	if err != nil {
		skipMissing(t, "Pebble's test config is missing (%v)", err)
	}
	var doc map[string]map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("pebble config: %v", err)
	}
	cfg := doc["pebble"]
	if cfg == nil {
		t.Fatalf("pebble config %s has no \"pebble\" object", dir)
	}
	listen := "127.0.0.1:" + strconv.Itoa(FreePort(t))
	management := "127.0.0.1:" + strconv.Itoa(FreePort(t))
	cfg["listenAddress"] = listen
	cfg["managementListenAddress"] = management
	cfg["certificate"] = filepath.Join(dir, "certs", "localhost", "cert.pem")
	cfg["privateKey"] = filepath.Join(dir, "certs", "localhost", "key.pem")
	cfg["httpPort"] = httpPort
	cfg["tlsPort"] = tlsPort
	cfg["retryAfter"] = map[string]int{"authz": 1, "order": 1}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(t.TempDir(), "pebble-config.json")
	if err := os.WriteFile(config, out, 0o644); err != nil {
		t.Fatal(err)
	}

	s := &PebbleServer{
		DirectoryURL:  "https://" + listen + "/dir",
		ManagementURL: "https://" + management,
		RootCAFile:    filepath.Join(dir, "certs", "pebble.minica.pem"),
		HTTPPort:      httpPort,
		TLSPort:       tlsPort,
	}
	s.http = &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: s.TrustPool(t)}},
	}
	cmd := exec.Command(bin, "-config", config)
	cmd.Env = append(os.Environ(),
		"PEBBLE_VA_ALWAYS_VALID=1",
		"PEBBLE_VA_NOSLEEP=1",
		"PEBBLE_WFE_NONCEREJECT=0",
	)
	p := startProcess(t, "pebble", cmd)
	p.waitHTTP(t, s.http, s.DirectoryURL, 15*time.Second)
	return s
}

// TrustPool is a pool holding RootCAFile, for clients of Pebble's ACME
// and management listeners (certmagic's ACMEIssuer.TrustedRoots).
func (s *PebbleServer) TrustPool(t testing.TB) *x509.CertPool {
	t.Helper()
	pem, err := os.ReadFile(s.RootCAFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatalf("no certificate in %s", s.RootCAFile)
	}
	return pool
}

// Client is an HTTP client that trusts Pebble's listeners.
func (s *PebbleServer) Client() *http.Client { return s.http }

// IssuerRootPEM returns the root that the certificates Pebble issues chain
// to; Pebble makes a new one at every start.
func (s *PebbleServer) IssuerRootPEM(t testing.TB) []byte {
	t.Helper()
	res, err := s.http.Get(s.ManagementURL + "/roots/0")
	if err != nil {
		t.Fatalf("pebble: %v", err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("pebble: GET /roots/0: status %d, %v: %s", res.StatusCode, err, body)
	}
	return body
}
