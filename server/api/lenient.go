package api

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/feedback"
	"github.com/ferryhq/ferry/server/links/review"
)

// Frame.io v2 scripts send fields Ferry does not implement (a project's
// description, an asset's source) and, in a read-modify-write PUT, echo
// the object they read (id, inserted_at, _type, ...). v2 routes accept and
// ignore those, per route; any other field a request type does not know
// is still refused with its name (decode).

// ignoredFields is the set of fields a v2 route accepts and ignores.
type ignoredFields map[string]bool

// v2Ignored builds the set: every field of the answers (read-only echoes:
// the JSON keys of each answer type, its struct tags and what its
// MarshalJSON adds) and the named fields v2 defines but Ferry does not use.
func v2Ignored(answers []any, v2Only ...string) ignoredFields {
	set := ignoredFields{"id": true, "_type": true, "inserted_at": true, "updated_at": true, "deleted_at": true}
	for _, name := range v2Only {
		set[name] = true
	}
	for _, a := range answers {
		for _, name := range jsonNames(reflect.TypeOf(a)) {
			set[name] = true
		}
		var keys map[string]json.RawMessage
		if b, err := json.Marshal(a); err == nil && json.Unmarshal(b, &keys) == nil {
			for k := range keys {
				set[k] = true
			}
		}
	}
	return set
}

// jsonNames lists the JSON names of a struct's fields, embedded ones included.
func jsonNames(t reflect.Type) []string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case tag == "-":
		case f.Anonymous && tag == "":
			out = append(out, jsonNames(f.Type)...)
		case tag != "":
			out = append(out, tag)
		case f.IsExported():
			out = append(out, f.Name)
		}
	}
	return out
}

// Fields v2 defines for each resource that Ferry does not implement
// (Frame.io v2 API reference: Project, Asset, ReviewLink, Comment).
var (
	v2ProjectFields = v2Ignored([]any{assets.Project{}, v2Project{}},
		"description", "private", "shared", "read_only", "is_archived", "archived_at", "archive_status",
		"ignore_archive", "project_preferences", "user_permissions", "storage", "file_count",
		"folder_count", "collaborator_count", "root_asset", "owner", "creator_id", "account_id", "team_id")
	v2AssetFields = v2Ignored([]any{assets.Asset{}},
		"description", "source", "is_realtime_upload", "is_hls_required", "label", "private",
		"autoversion_id", "asset_type", "view_count", "status", "uploaded_at", "hls_manifest",
		"thumb", "thumb_url", "cover", "metadata", "resource_id", "transcode_statuses", "transcoded_at",
		"is_360", "subtitle_tracks", "creator", "project", "account_id", "team_id", "comment_count",
		"is_session_watermarked", "checksums")
	v2ReviewLinkFields = v2Ignored([]any{review.View{}},
		"requires_passphrase", "view_count", "item_count", "short_url", "is_download_enabled",
		"enable_watermark", "enable_session_watermark", "owner", "project", "assets", "account_id",
		"team_id", "password_protected", "is_feedback_enabled")
	v2CommentFields = v2Ignored([]any{feedback.Comment{}},
		"owner", "completed_at", "completer_id", "text_edited_at", "like_count", "entities", "fov",
		"pitch", "yaw", "has_replies", "replies", "annotation_hidden", "frame", "account_id")
)

// decodeV2 is decode for a Frame.io v2 route: fields in ignore that v does
// not know are dropped before the strict decode; any other unknown field
// is still refused with its name.
func decodeV2(c *fiber.Ctx, limit int64, v any, ignore ignoredFields) error {
	body, err := readJSON(c, limit)
	if err != nil {
		return err
	}
	for {
		err := decodeStrict(body, v)
		name, unknown := unknownField(err)
		if !unknown || !ignore[name] {
			return err
		}
		var obj map[string]json.RawMessage
		if json.Unmarshal(body, &obj) != nil {
			return err
		}
		if _, top := obj[name]; !top { // an unknown field inside a value
			return err
		}
		delete(obj, name)
		if body, err = json.Marshal(obj); err != nil {
			return err
		}
		rv := reflect.ValueOf(v).Elem()
		rv.Set(reflect.Zero(rv.Type()))
	}
}

// unknownField tells whether err is decode's refusal of an unknown field,
// and its name.
func unknownField(err error) (string, bool) {
	const prefix = "unknown field "
	if err == nil {
		return "", false
	}
	e, ok := errs.As(err)
	if !ok || e.Code != "invalid_json" || !strings.HasPrefix(e.Detail, prefix) {
		return "", false
	}
	name, uerr := strconv.Unquote(strings.TrimPrefix(e.Detail, prefix))
	return name, uerr == nil
}
