// Package admin holds the operator commands (add a user, create a token,
// back up, restore) so they run the same whether the CLI opened the data
// directory itself or reached a running server over its unix socket.
package admin

import (
	"archive/tar"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ferryhq/ferry/server/auth"
	"github.com/ferryhq/ferry/server/store"
)

// Ops runs operator commands against an open store.
type Ops struct {
	Store   *store.Store
	Auth    *auth.Service
	DataDir string
}

// TokenRequest names the user (by email) a token is for.
type TokenRequest struct {
	Email  string   `json:"email"`
	Name   string   `json:"name"`
	Scopes []string `json:"scopes"`
}

// AddUser creates a user.
func (o *Ops) AddUser(in auth.NewUser) (auth.User, error) { return o.Auth.CreateUser(in) }

// CreateToken makes a token for the user with the given email and returns its secret.
func (o *Ops) CreateToken(in TokenRequest) (string, error) {
	u, err := o.Auth.UserByEmail(in.Email)
	if err != nil {
		return "", err
	}
	_, secret, err := o.Auth.CreateToken(u.ID, in.Name, in.Scopes)
	return secret, err
}

// Manifest is the first entry of a backup.
type Manifest struct {
	Format    int       `json:"format"`
	CreatedAt time.Time `json:"created_at"`
	WithFiles bool      `json:"with_files"`
}

// Backup writes a tar of a consistent database snapshot and the secret key
// (and, withFiles, the originals) to w.
func (o *Ops) Backup(w io.Writer, withFiles bool) error {
	tmp, err := os.CreateTemp(o.DataDir, ".backup-db-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	if err := o.Store.Backup(tmp); err != nil {
		return fmt.Errorf("snapshot of the database: %w", err)
	}
	tw := tar.NewWriter(w)
	m, _ := json.Marshal(Manifest{Format: 1, CreatedAt: time.Now().UTC(), WithFiles: withFiles})
	if err := addBytes(tw, "manifest.json", m); err != nil {
		return err
	}
	key, err := os.ReadFile(filepath.Join(o.DataDir, "secret.key"))
	if err != nil {
		return err
	}
	if err := addBytes(tw, "secret.key", key); err != nil {
		return err
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if err := addFile(tw, "db.badger", tmp); err != nil {
		return err
	}
	if withFiles {
		root := filepath.Join(o.DataDir, "originals")
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return nil
				}
				return err
			}
			if !d.Type().IsRegular() {
				return nil
			}
			rel, _ := filepath.Rel(o.DataDir, p)
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			return addFile(tw, filepath.ToSlash(rel), f)
		})
		if err != nil {
			return err
		}
	}
	return tw.Close()
}

func addBytes(tw *tar.Writer, name string, b []byte) error {
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: int64(len(b)), ModTime: time.Now()}); err != nil {
		return err
	}
	_, err := tw.Write(b)
	return err
}

func addFile(tw *tar.Writer, name string, f *os.File) error {
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: st.Size(), ModTime: st.ModTime()}); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

// Restore unpacks a backup into dataDir, which must be empty or absent.
func Restore(r io.Reader, dataDir string) error {
	if entries, err := os.ReadDir(dataDir); err == nil && len(entries) > 0 {
		return fmt.Errorf("restore: %s is not empty; restore into a new directory", dataDir)
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return err
	}
	tr := tar.NewReader(r)
	sawDB, sawKey := false, false
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("restore: reading backup: %w", err)
		}
		name := filepath.Clean(filepath.FromSlash(h.Name))
		if filepath.IsAbs(name) || strings.HasPrefix(name, "..") {
			return fmt.Errorf("restore: refusing entry %q outside the data directory", h.Name)
		}
		switch {
		case name == "manifest.json":
			var m Manifest
			if err := json.NewDecoder(tr).Decode(&m); err != nil || m.Format != 1 {
				return fmt.Errorf("restore: not a ferry backup (manifest)")
			}
		case name == "secret.key":
			if err := writeFrom(filepath.Join(dataDir, "secret.key"), tr); err != nil {
				return err
			}
			sawKey = true
		case name == "db.badger":
			st, err := store.OpenUnmigrated(filepath.Join(dataDir, "db"), nil)
			if err != nil {
				return err
			}
			err = st.Load(tr)
			st.Close()
			if err != nil {
				return fmt.Errorf("restore: loading database: %w", err)
			}
			sawDB = true
		case strings.HasPrefix(name, "originals"+string(filepath.Separator)):
			if err := writeFrom(filepath.Join(dataDir, name), tr); err != nil {
				return err
			}
		default:
			return fmt.Errorf("restore: unexpected entry %q", h.Name)
		}
	}
	if !sawDB || !sawKey {
		return fmt.Errorf("restore: backup is incomplete (database or secret key missing)")
	}
	return nil
}

func writeFrom(path string, r io.Reader) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
