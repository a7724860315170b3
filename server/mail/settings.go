package mail

import (
	"errors"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/store"
)

// Settings is model.EmailSettings, the JSON document.
type Settings = model.EmailSettings

const settingsKey = store.PrefixSetting + "smtp"

// LoadSettings reads the saved settings; ok is false when none were saved.
func LoadSettings(st *store.Store) (Settings, bool, error) {
	var s Settings
	err := st.View(func(tx *store.Tx) error { return tx.Get(settingsKey, &s) })
	if errors.Is(err, store.ErrNotFound) {
		return Settings{}, false, nil
	}
	return s, err == nil, err
}

// SaveSettings stores the settings for the next start.
func SaveSettings(st *store.Store, s Settings) error {
	return st.Update(func(tx *store.Tx) error { return tx.Put(settingsKey, s) })
}
