package links

import (
	"errors"

	"github.com/google/uuid"

	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/store"
)

// The kinds of link. Every kind shares one key space (store.LinkKey): a
// public key opens one link of one kind, and a custom key is unique across
// all of them.
const (
	ShareKind  = "share"
	ReviewKind = "review"
	UploadKind = "upload"
)

// KindOf says what kind of link key opens (ShareKind, ReviewKind,
// UploadKind, or "" when none).
func KindOf(st *store.Store, key string) string {
	var e store.LinkKey
	st.View(func(tx *store.Tx) (err error) { e, _, err = tx.GetLinkKey(key); return err })
	return e.Kind
}

// ByKey resolves key to the link of kind stored under prefix. A key that
// opens nothing, a link of another kind or a record gone is notFound.
func ByKey[T any](tx *store.Tx, key, kind, prefix, what string, notFound error) (T, error) {
	var v T
	e, ok, err := tx.GetLinkKey(key)
	if err != nil {
		return v, err
	}
	if !ok || e.Kind != kind {
		return v, notFound
	}
	v, err = GetByID[T](tx, prefix, e.ID, what)
	if errs.Is(err, errs.NotFound) {
		return v, notFound
	}
	return v, err
}

// GetByID reads the record with id under prefix; a malformed or unknown
// id is a 404 naming what was looked for.
func GetByID[T any](tx *store.Tx, prefix, id, what string) (T, error) {
	var v T
	if _, err := uuid.Parse(id); err != nil {
		return v, errs.NotFoundf("%s %s not found", what, id)
	}
	err := tx.Get(prefix+id, &v)
	if errors.Is(err, store.ErrNotFound) {
		return v, errs.NotFoundf("%s %s not found", what, id)
	}
	return v, err
}
