package admin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/ferryhq/ferry/server/auth"
	"github.com/ferryhq/ferry/server/errs"
)

// SocketName is the control socket in the data directory. Its file mode
// (0600) is the authorization: whoever can open it owns the server.
const SocketName = "ferry.sock"

// ServeSocket answers operator commands on the unix socket at path until ctx ends.
func (o *Ops) ServeSocket(ctx context.Context, path string) error {
	if c, err := net.DialTimeout("unix", path, 200*time.Millisecond); err == nil {
		c.Close()
		return fmt.Errorf("another ferry answers on %s", path)
	}
	os.Remove(path) // stale from a crash
	old := umask(0o177)
	ln, err := net.Listen("unix", path)
	umask(old)
	if err != nil {
		return err
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /user", func(w http.ResponseWriter, r *http.Request) {
		var in auth.NewUser
		if !decodeJSON(w, r, &in) {
			return
		}
		u, err := o.AddUser(in)
		reply(w, u, err)
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		var in TokenRequest
		if !decodeJSON(w, r, &in) {
			return
		}
		secret, err := o.CreateToken(in)
		reply(w, map[string]string{"token": secret}, err)
	})
	mux.HandleFunc("GET /backup", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-tar")
		if err := o.Backup(w, r.URL.Query().Get("with_files") == "1"); err != nil {
			// Headers are gone; a broken tar tells the client it failed.
			panic(http.ErrAbortHandler)
		}
	})
	srv := &http.Server{Handler: mux}
	go func() {
		<-ctx.Done()
		srv.Close()
		os.Remove(path)
	}()
	go srv.Serve(ln)
	return nil
}

func decodeJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return false
	}
	return true
}

func reply(w http.ResponseWriter, v any, err error) {
	if err != nil {
		status := 500
		if e, ok := errs.As(err); ok && e.Kind != errs.Internal {
			status = 400
		}
		http.Error(w, err.Error(), status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// Client talks to a running server over its socket.
type Client struct{ http *http.Client }

// Dial returns a client when a server answers on the socket at path.
func Dial(path string) (*Client, bool) {
	c, err := net.DialTimeout("unix", path, 300*time.Millisecond)
	if err != nil {
		return nil, false
	}
	c.Close()
	tr := &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "unix", path)
	}}
	return &Client{http: &http.Client{Transport: tr}}, true
}

func (c *Client) post(path string, in, out any) error {
	b, _ := json.Marshal(in)
	res, err := c.http.Post("http://ferry"+path, "application/json", strings.NewReader(string(b)))
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		msg, _ := io.ReadAll(res.Body)
		return errors.New(strings.TrimSpace(string(msg)))
	}
	return json.NewDecoder(res.Body).Decode(out)
}

// AddUser creates a user through the server.
func (c *Client) AddUser(in auth.NewUser) (auth.User, error) {
	var u auth.User
	err := c.post("/user", in, &u)
	return u, err
}

// CreateToken creates a token through the server.
func (c *Client) CreateToken(in TokenRequest) (string, error) {
	var out map[string]string
	err := c.post("/token", in, &out)
	return out["token"], err
}

// Backup streams a backup from the server into w.
func (c *Client) Backup(w io.Writer, withFiles bool) error {
	q := ""
	if withFiles {
		q = "?with_files=1"
	}
	res, err := c.http.Get("http://ferry/backup" + q)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		msg, _ := io.ReadAll(res.Body)
		return errors.New(strings.TrimSpace(string(msg)))
	}
	_, err = io.Copy(w, res.Body)
	return err
}
