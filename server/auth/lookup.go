package auth

import "github.com/ferryhq/ferry/server/store"

// LookupUser reads user id from st, for readers that hold no Service (the
// access policy checks a link creator's account at every visit).
func LookupUser(st *store.Store, id string) (User, error) {
	var rec userRecord
	err := st.View(func(tx *store.Tx) (err error) {
		rec, err = getUser(tx, id)
		return err
	})
	return rec.User, err
}

// UserIn reads user id inside a transaction of another package (a group
// checks its members exist in the same transaction that records them).
func UserIn(tx *store.Tx, id string) (User, error) {
	rec, err := getUser(tx, id)
	return rec.User, err
}
