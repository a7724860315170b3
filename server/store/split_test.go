package store

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/dgraph-io/badger/v4"
)

// TestUpdateSplit: a batch too big for one Badger transaction is stored
// whole in several; one that fits goes in one.
func TestUpdateSplit(t *testing.T) {
	s := open(t, t.TempDir())
	const n = 4000
	val := strings.Repeat("v", 900) // under the value threshold: counted whole in the batch
	write := func(tx *Tx, lo, hi int) error {
		for i := lo; i < hi; i++ {
			if err := tx.Put(fmt.Sprintf("%sbig/%05d", PrefixShareLog, i), val); err != nil {
				return err
			}
		}
		return nil
	}
	// The batch really is too big for one transaction.
	if err := s.Update(func(tx *Tx) error { return write(tx, 0, n) }); !errors.Is(err, badger.ErrTxnTooBig) {
		t.Fatalf("one transaction of %d entries: %v, want ErrTxnTooBig", n, err)
	}
	if c := count(t, s, PrefixShareLog+"big/"); c != 0 {
		t.Fatalf("the refused transaction stored %d entries", c)
	}
	txns := 0
	err := s.UpdateSplit(n, func(tx *Tx, lo, hi int) error { txns++; return write(tx, lo, hi) })
	if err != nil {
		t.Fatal(err)
	}
	if c := count(t, s, PrefixShareLog+"big/"); c != n {
		t.Fatalf("stored %d of %d entries", c, n)
	}
	if txns < 3 {
		t.Fatalf("%d transactions: the batch was not split", txns)
	}
	txns = 0
	if err := s.UpdateSplit(10, func(tx *Tx, lo, hi int) error { txns++; return write(tx, lo, hi) }); err != nil || txns != 1 {
		t.Fatalf("a small batch: %d transactions, %v", txns, err)
	}
	// Other errors are not split: they come back as they are.
	refused := errors.New("refused")
	txns = 0
	if err := s.UpdateSplit(n, func(*Tx, int, int) error { txns++; return refused }); err != refused || txns != 1 {
		t.Fatalf("an error: %d transactions, %v", txns, err)
	}
}

func count(t *testing.T, s *Store, prefix string) int {
	t.Helper()
	var n int
	if err := s.View(func(tx *Tx) (err error) { n, err = tx.Count(prefix); return err }); err != nil {
		t.Fatal(err)
	}
	return n
}
