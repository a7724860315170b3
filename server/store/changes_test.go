package store

import (
	"errors"
	"testing"
)

// TestChanges: a commit that writes what a page may show moves the count
// (after it commits); reads, failed transactions and bookkeeping do not.
func TestChanges(t *testing.T) {
	s := open(t, t.TempDir())
	cases := []struct {
		name string
		fn   func(tx *Tx) error
		move bool
	}{
		{"a record", func(tx *Tx) error { return tx.Put(PrefixShareLink+"a", 1) }, true},
		{"a delete", func(tx *Tx) error { return tx.Delete(PrefixAsset + "a") }, true},
		{"a marker", func(tx *Tx) error { return tx.Touch(PrefixChildOrderMark + "f") }, true},
		{"a log entry and a record", func(tx *Tx) error {
			if err := tx.Put(PrefixShareLog+"l/1", 1); err != nil {
				return err
			}
			return tx.Put(PrefixProject+"p", 1)
		}, true},
		{"reads only", func(tx *Tx) error { _, err := tx.Has(PrefixShareLink + "a"); return err }, false},
		{"an access log entry", func(tx *Tx) error { return tx.Put(PrefixShareLog+"l/2", 1) }, false},
		{"a link session", func(tx *Tx) error { return tx.PutTTL(PrefixLinkSession+"x", 1, 3600e9) }, false},
		{"a sign-in session", func(tx *Tx) error { return tx.Put(PrefixSession+"x", 1) }, false},
		{"counters marked as bookkeeping", func(tx *Tx) error {
			tx.Bookkeeping()
			return tx.Put(PrefixShareLink+"a", 2)
		}, false},
		{"a failed transaction", func(tx *Tx) error {
			if err := tx.Put(PrefixShareLink+"a", 3); err != nil {
				return err
			}
			return errors.New("refused")
		}, false},
	}
	for _, c := range cases {
		before := s.Changes()
		var during uint64
		s.Update(func(tx *Tx) error {
			err := c.fn(tx)
			during = s.Changes()
			return err
		})
		if during != before {
			t.Errorf("%s: the count moved before the commit", c.name)
		}
		if moved := s.Changes() != before; moved != c.move {
			t.Errorf("%s: count moved %v, want %v", c.name, moved, c.move)
		}
	}
}
