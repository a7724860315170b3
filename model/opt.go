package model

import "encoding/json"

// Opt is a JSON field that may be absent (Set false), null (Value nil) or a value.
type Opt[T any] struct {
	Set   bool
	Value *T
}

// UnmarshalJSON records that the field was sent.
func (o *Opt[T]) UnmarshalJSON(b []byte) error {
	o.Set = true
	if string(b) == "null" {
		o.Value = nil
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	o.Value = &v
	return nil
}
