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

// MarshalJSON writes null or the value; a field that is not Set is left
// out by its omitzero tag.
func (o Opt[T]) MarshalJSON() ([]byte, error) {
	if o.Value == nil {
		return []byte("null"), nil
	}
	return json.Marshal(*o.Value)
}

// Set is an Opt holding v.
func Set[T any](v T) Opt[T] { return Opt[T]{Set: true, Value: &v} }

// Null is an Opt sent as null (clear the value).
func Null[T any]() Opt[T] { return Opt[T]{Set: true} }

// Ptr is a pointer to v, for the optional fields of patches
// (model.UserPatch{Name: model.Ptr("Ann")}).
func Ptr[T any](v T) *T { return &v }
