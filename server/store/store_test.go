package store

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func open(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

type record struct {
	Name string `json:"name"`
	N    int    `json:"n"`
}

func TestPutGetDelete(t *testing.T) {
	s := open(t, t.TempDir())
	want := record{Name: "alpha", N: 7}
	if err := s.Update(func(tx *Tx) error { return tx.Put("test/a", want) }); err != nil {
		t.Fatal(err)
	}
	var got record
	if err := s.View(func(tx *Tx) error { return tx.Get("test/a", &got) }); err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("Get = %+v, want %+v", got, want)
	}
	err := s.View(func(tx *Tx) error {
		if ok, err := tx.Has("test/a"); err != nil || !ok {
			return fmt.Errorf("Has(test/a) = %v, %v", ok, err)
		}
		if ok, err := tx.Has("test/b"); err != nil || ok {
			return fmt.Errorf("Has(test/b) = %v, %v", ok, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	if err := s.Update(func(tx *Tx) error { return tx.Delete("test/a") }); err != nil {
		t.Fatal(err)
	}
	err = s.View(func(tx *Tx) error { return tx.Get("test/a", &got) })
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Delete: err = %v, want ErrNotFound", err)
	}
	// Deleting an absent key is not an error.
	if err := s.Update(func(tx *Tx) error { return tx.Delete("test/never") }); err != nil {
		t.Fatalf("Delete of absent key: %v", err)
	}
}

func TestGetBadJSON(t *testing.T) {
	s := open(t, t.TempDir())
	if err := s.Update(func(tx *Tx) error { return tx.Put("test/a", "a string") }); err != nil {
		t.Fatal(err)
	}
	var r record
	if err := s.View(func(tx *Tx) error { return tx.Get("test/a", &r) }); err == nil {
		t.Fatal("decoding a string into a struct did not fail")
	}
}

func TestReadOnlyViewRefusesWrites(t *testing.T) {
	s := open(t, t.TempDir())
	if err := s.View(func(tx *Tx) error { return tx.Put("test/a", 1) }); err == nil {
		t.Fatal("Put in a View succeeded")
	}
}

func TestScanAndCount(t *testing.T) {
	s := open(t, t.TempDir())
	err := s.Update(func(tx *Tx) error {
		for i, k := range []string{"user/c", "user/a", "user/b", "user_email/a@example.com", "users", "zzz/a"} {
			if err := tx.Put(k, record{Name: k, N: i}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	var names []string
	err = s.View(func(tx *Tx) error {
		return tx.Scan("user/", func(k string, v []byte) error {
			keys = append(keys, k)
			names = append(names, string(v))
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(keys, ","); got != "user/a,user/b,user/c" {
		t.Fatalf("Scan(user/) keys = %s, want user/a,user/b,user/c in order", got)
	}
	if !strings.Contains(names[0], `"name":"user/a"`) {
		t.Fatalf("Scan value = %s", names[0])
	}

	// ErrStop ends the scan without error.
	var first []string
	err = s.View(func(tx *Tx) error {
		return tx.Scan("user/", func(k string, _ []byte) error {
			first = append(first, k)
			return ErrStop
		})
	})
	if err != nil || len(first) != 1 {
		t.Fatalf("Scan with ErrStop: %v, %v", first, err)
	}
	// Other errors end it with that error.
	boom := errors.New("boom")
	err = s.View(func(tx *Tx) error {
		return tx.ScanKeys("user/", func(string) error { return boom })
	})
	if !errors.Is(err, boom) {
		t.Fatalf("ScanKeys error = %v, want boom", err)
	}

	counts := []struct {
		prefix string
		want   int
	}{
		{"user/", 3},
		{"user_email/", 1},
		{"user", 5},
		{"zzz/", 1},
		{"none/", 0},
		{"", 7}, // with meta/schema
	}
	for _, c := range counts {
		var n int
		if err := s.View(func(tx *Tx) (err error) { n, err = tx.Count(c.prefix); return err }); err != nil {
			t.Fatal(err)
		}
		if n != c.want {
			t.Errorf("Count(%q) = %d, want %d", c.prefix, n, c.want)
		}
	}
}

func TestUpdateErrorRollsBack(t *testing.T) {
	s := open(t, t.TempDir())
	boom := errors.New("boom")
	err := s.Update(func(tx *Tx) error {
		if err := tx.Put("test/a", 1); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update error = %v, want boom", err)
	}
	if err := s.View(func(tx *Tx) error { var n int; return tx.Get("test/a", &n) }); !errors.Is(err, ErrNotFound) {
		t.Fatalf("write of a failed Update is visible: %v", err)
	}
}

// A transaction whose read was overwritten by another commit conflicts;
// Update runs it again and the second run sees the new value.
func TestUpdateRetriesOnConflict(t *testing.T) {
	s := open(t, t.TempDir())
	if err := s.Update(func(tx *Tx) error { return tx.Put("test/n", 1) }); err != nil {
		t.Fatal(err)
	}
	runs, after := 0, 0
	err := s.Update(func(tx *Tx) error {
		runs++
		var n int
		if err := tx.Get("test/n", &n); err != nil {
			return err
		}
		if runs == 1 {
			// Another writer commits between our read and our commit.
			if err := s.Update(func(tx *Tx) error { return tx.Put("test/n", 10) }); err != nil {
				return err
			}
		}
		tx.AfterCommit(func() { after++ })
		return tx.Put("test/n", n+1)
	})
	if err != nil {
		t.Fatal(err)
	}
	if runs != 2 {
		t.Fatalf("fn ran %d times, want 2 (one conflict, one retry)", runs)
	}
	if after != 1 {
		t.Fatalf("AfterCommit ran %d times, want once (only for the attempt that committed)", after)
	}
	var n int
	if err := s.View(func(tx *Tx) error { return tx.Get("test/n", &n) }); err != nil {
		t.Fatal(err)
	}
	if n != 11 {
		t.Fatalf("n = %d, want 11 (the retry must read the other writer's 10)", n)
	}
}

func TestConcurrentIncrementsAllCount(t *testing.T) {
	s := open(t, t.TempDir())
	const workers, each = 2, 200
	var runs atomic.Int64
	var wg sync.WaitGroup
	errc := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				err := s.Update(func(tx *Tx) error {
					runs.Add(1)
					var n int
					if err := tx.Get("test/counter", &n); err != nil && !errors.Is(err, ErrNotFound) {
						return err
					}
					return tx.Put("test/counter", n+1)
				})
				if err != nil {
					errc <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
	var n int
	if err := s.View(func(tx *Tx) error { return tx.Get("test/counter", &n) }); err != nil {
		t.Fatal(err)
	}
	if n != workers*each {
		t.Fatalf("counter = %d, want %d", n, workers*each)
	}
	t.Logf("%d transaction runs for %d increments", runs.Load(), workers*each)
}

func TestAfterCommit(t *testing.T) {
	s := open(t, t.TempDir())

	// Runs after the commit: the hook sees the committed value.
	var seen int
	var ran bool
	err := s.Update(func(tx *Tx) error {
		tx.AfterCommit(func() {
			ran = true
			s.View(func(tx *Tx) error { return tx.Get("test/a", &seen) })
		})
		if ran {
			t.Error("AfterCommit ran before fn returned")
		}
		return tx.Put("test/a", 42)
	})
	if err != nil {
		t.Fatal(err)
	}
	if !ran || seen != 42 {
		t.Fatalf("after commit: ran=%v seen=%d, want true 42", ran, seen)
	}

	// Not run when fn fails.
	ran = false
	err = s.Update(func(tx *Tx) error {
		tx.AfterCommit(func() { ran = true })
		return errors.New("refused")
	})
	if err == nil || ran {
		t.Fatalf("failed Update: err=%v ran=%v, want an error and no hook", err, ran)
	}
}

func TestSecondOpenIsLocked(t *testing.T) {
	dir := t.TempDir()
	open(t, dir)
	start := time.Now()
	s2, err := Open(dir, nil)
	elapsed := time.Since(start)
	if err == nil {
		s2.Close()
		t.Fatal("second Open of a held directory succeeded")
	}
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("err = %v, want ErrLocked", err)
	}
	if !strings.Contains(err.Error(), dir) {
		t.Fatalf("err %q does not name %s", err, dir)
	}
	if elapsed > time.Second {
		t.Fatalf("second Open took %v, want under 1s", elapsed)
	}
}

func TestReopenKeepsData(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(func(tx *Tx) error { return tx.Put("test/a", "kept") }); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = open(t, dir)
	var v string
	if err := s.View(func(tx *Tx) error { return tx.Get("test/a", &v) }); err != nil || v != "kept" {
		t.Fatalf("after reopen: %q, %v", v, err)
	}
}

func TestSchemaVersion(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := s.Schema(); err != nil || v != SchemaVersion {
		t.Fatalf("a new database: schema %d, %v; want %d", v, err, SchemaVersion)
	}

	// A database from a newer ferry is refused, naming both versions.
	if err := s.Update(func(tx *Tx) error { return tx.Put(schemaKey, SchemaVersion+1) }); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(dir, nil)
	if err == nil {
		s.Close()
		t.Fatal("opened a database with a newer schema")
	}
	var newer *NewerSchemaError
	want := fmt.Sprintf("schema version %d, newer than this ferry's schema version %d", SchemaVersion+1, SchemaVersion)
	if !errors.As(err, &newer) || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), dir) {
		t.Fatalf("err = %v, want it to say %q and name %s", err, want, dir)
	}
}

// Data without a schema key is schema 1 and is migrated from there; a new
// database starts at the current schema without migrating.
func TestSchemaMigrations(t *testing.T) {
	ran := 0
	setMigration(t, 1, func(tx *Tx) error { ran++; return tx.Put("test/migrated", true) })

	old := open(t, t.TempDir())
	if err := old.Update(func(tx *Tx) error {
		if err := tx.Put("test/a", "kept"); err != nil {
			return err
		}
		return tx.Delete(schemaKey)
	}); err != nil {
		t.Fatal(err)
	}
	if err := old.migrate(2); err != nil {
		t.Fatal(err)
	}
	if v, _ := old.Schema(); v != 2 || ran != 1 {
		t.Fatalf("data without a version: schema %d after %d migrations, want 2 after 1", v, ran)
	}
	if err := old.migrate(2); err != nil || ran != 1 {
		t.Fatalf("migrating again: %v, %d runs", err, ran)
	}
	var a string
	var migrated bool
	if err := old.View(func(tx *Tx) error {
		if err := tx.Get("test/a", &a); err != nil {
			return err
		}
		return tx.Get("test/migrated", &migrated)
	}); err != nil || a != "kept" || !migrated {
		t.Fatalf("after migrating: a=%q migrated=%v, %v", a, migrated, err)
	}

	fresh, err := OpenUnmigrated(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if _, err := fresh.Schema(); !errors.Is(err, ErrNotFound) {
		t.Fatalf("OpenUnmigrated wrote a schema version: %v", err)
	}
	if err := fresh.migrate(2); err != nil {
		t.Fatal(err)
	}
	if v, _ := fresh.Schema(); v != 2 || ran != 1 {
		t.Fatalf("a new database: schema %d after %d migrations, want 2 without one", v, ran)
	}

	// A failing migration leaves the data and its version as they were.
	setMigration(t, 2, func(tx *Tx) error { _ = tx.Put("test/a", "half"); return errors.New("disk on fire") })
	if err := old.migrate(3); err == nil || !strings.Contains(err.Error(), "migrating schema 2 to 3: disk on fire") {
		t.Fatalf("failing migration: %v", err)
	}
	if v, _ := old.Schema(); v != 2 {
		t.Fatalf("schema after a failed migration: %d", v)
	}
	old.View(func(tx *Tx) error { return tx.Get("test/a", &a) })
	if a != "kept" {
		t.Fatalf("a failed migration changed data: %q", a)
	}
}

// setMigration replaces migrations[v] for one test, then puts back the
// real one.
func setMigration(t *testing.T, v int, m func(tx *Tx) error) {
	was, had := migrations[v]
	migrations[v] = m
	t.Cleanup(func() {
		if had {
			migrations[v] = was
		} else {
			delete(migrations, v)
		}
	})
}

func TestBackupLoad(t *testing.T) {
	src := open(t, t.TempDir())
	want := map[string]string{}
	err := src.Update(func(tx *Tx) error {
		for i := 0; i < 500; i++ {
			k := fmt.Sprintf("test/%04d", i)
			v := strings.Repeat("x", i*5) // some above the value threshold (vlog)
			want[k] = `"` + v + `"`
			if err := tx.Put(k, v); err != nil {
				return err
			}
		}
		return tx.Put("gone/x", 1)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := src.Update(func(tx *Tx) error { return tx.Delete("gone/x") }); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := src.Backup(&buf); err != nil {
		t.Fatal(err)
	}

	dst := open(t, t.TempDir())
	if err := dst.Load(&buf); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	err = dst.View(func(tx *Tx) error {
		return tx.Scan("", func(k string, v []byte) error {
			got[k] = string(v)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got["gone/x"]; ok {
		t.Error("a deleted key came back from the backup")
	}
	if _, ok := got[PrefixMeta+"schema"]; !ok {
		t.Error("schema version missing after load")
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %.20q after load, want %.20q", k, got[k], v)
		}
	}
	if len(got) != len(want)+1 {
		t.Errorf("%d keys after load, want %d", len(got), len(want)+1)
	}
}

func TestSize(t *testing.T) {
	s := open(t, t.TempDir())
	if err := s.Update(func(tx *Tx) error { return tx.Put("test/big", strings.Repeat("y", 4096)) }); err != nil {
		t.Fatal(err)
	}
	lsm, vlog := s.Size()
	if lsm < 0 || vlog < 0 {
		t.Fatalf("Size = %d, %d", lsm, vlog)
	}
}
