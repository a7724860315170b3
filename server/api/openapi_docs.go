package api

import (
	"reflect"
	"strings"
	"time"

	"github.com/ferryhq/ferry/model"
)

// docs are the JSON documents of the routes, by "METHOD path" as in the
// route table: In is the request body a handler decodes, Out what it
// answers (a slice for lists). /api/v2/openapi.json turns them into
// schemas under components.schemas from the model types themselves, so
// the document cannot drift from what the server decodes. Routes of
// Frame.io v2 shapes that model does not hold (teams, accounts) and
// binary answers (files, QR codes, ZIPs) have none.
var docs = map[string]struct{ In, Out any }{
	"POST /api/v2/auth/login":     {model.LoginRequest{}, model.User{}},
	"GET /api/v2/me":              {nil, model.Me{}},
	"GET /api/v2/setup":           {nil, model.SetupStatus{}},
	"POST /api/v2/setup":          {model.SetupRequest{}, nil},
	"GET /api/v2/tokens":          {nil, []model.Token{}},
	"POST /api/v2/tokens":         {model.NewToken{}, model.NewTokenAnswer{}},
	"GET /api/v2/users":           {nil, []model.User{}},
	"POST /api/v2/users":          {model.NewUser{}, model.User{}},
	"GET /api/v2/users/:id":       {nil, model.User{}},
	"PUT /api/v2/users/:id":       {model.UserPatch{}, model.User{}},
	"GET /api/v2/groups":          {nil, []model.Group{}},
	"POST /api/v2/groups":         {model.GroupPatch{}, model.Group{}},
	"GET /api/v2/groups/:id":      {nil, model.Group{}},
	"PUT /api/v2/groups/:id":      {model.GroupPatch{}, model.Group{}},
	"GET /api/v2/projects":        {nil, []model.Project{}},
	"POST /api/v2/projects":       {model.NewProject{}, model.Project{}},
	"GET /api/v2/projects/:id":    {nil, model.Project{}},
	"PUT /api/v2/projects/:id":    {model.ProjectPatch{}, model.Project{}},
	"GET /api/v2/collections/:id": {nil, model.Collection{}},
	"PUT /api/v2/collections/:id": {model.CollectionPatch{}, model.Collection{}},
	"GET /api/v2/assets/:id":      {nil, model.Asset{}},
	"PUT /api/v2/assets/:id":      {model.AssetPatch{}, model.Asset{}},
	"GET /api/v2/comments/:id":    {nil, model.Comment{}},
	"PUT /api/v2/comments/:id":    {model.CommentPatch{}, model.Comment{}},

	"GET /api/v2/users/:id/privileges":             {nil, []model.Privilege{}},
	"PUT /api/v2/users/:id/privileges/:folder_id":  {model.PrivilegeInput{}, model.Privilege{}},
	"GET /api/v2/groups/:id/privileges":            {nil, []model.Privilege{}},
	"PUT /api/v2/groups/:id/privileges/:folder_id": {model.PrivilegeInput{}, model.Privilege{}},
	"GET /api/v2/assets/:id/privileges":            {nil, model.Privilege{}},
	"GET /api/v2/assets/:id/permissions":           {nil, []model.FolderPermission{}},
	"POST /api/v2/projects/:id/collaborators":      {model.NewCollaborator{}, nil},
	"GET /api/v2/projects/:id/folders":             {nil, []model.FolderPath{}},
	"GET /api/v2/projects/:id/collections":         {nil, []model.Collection{}},
	"POST /api/v2/projects/:id/collections":        {model.NewCollection{}, model.Collection{}},
	"GET /api/v2/collections/:id/items":            {nil, []model.Asset{}},
	"GET /api/v2/collections/:id/affected_links":   {nil, []model.ShareLink{}},
	"GET /api/v2/assets/:id/affected_links":        {nil, []model.ShareLink{}},
	"GET /api/v2/assets/:id/children":              {nil, []model.Asset{}},
	"POST /api/v2/assets/:id/children":             {model.NewAsset{}, model.Asset{}},
	"GET /api/v2/assets/:id/ancestors":             {nil, []model.Asset{}},
	"POST /api/v2/assets/:id/version":              {model.NewVersion{}, model.Asset{}},
	"POST /api/v2/assets/:id/copy":                 {model.CopySource{}, model.Asset{}},
	"POST /api/v2/batch/assets/:id/copy":           {model.BatchCopy{}, []model.Asset{}},
	"GET /api/v2/search/library":                   {nil, []model.Asset{}},
	"POST /api/v2/search/library":                  {model.SearchRequest{}, []model.Asset{}},
	"GET /api/v2/assets/:id/comments":              {nil, []model.Comment{}},
	"POST /api/v2/assets/:id/comments":             {model.NewComment{}, model.Comment{}},
	"POST /api/v2/comments/:id/replies":            {model.NewComment{}, model.Comment{}},
	"GET /api/v2/settings/email":                   {nil, model.EmailStatus{}},
	"PUT /api/v2/settings/email":                   {model.EmailSettings{}, model.EmailStatus{}},
	"POST /api/v2/settings/email/test":             {model.TestEmail{}, nil},
	"GET /api/v2/outbox":                           {nil, []model.OutboxMessage{}},
	"GET /api/v2/outbox/:id":                       {nil, model.OutboxMessage{}},
	"POST /api/v2/outbox/:id/retry":                {nil, model.OutboxMessage{}},
	"GET /api/v2/settings/sharing":                 {nil, model.SharingSettings{}},
	"PUT /api/v2/settings/sharing":                 {model.SharingSettings{}, model.SharingSettings{}},
	"GET /api/v2/settings/watermark":               {nil, model.WatermarkSettings{}},
	"PUT /api/v2/settings/watermark":               {model.WatermarkSettings{}, model.WatermarkSettings{}},
	"GET /api/v2/settings/media":                   {nil, model.MediaStatus{}},
	"GET /api/v2/settings/faces":                   {nil, model.FaceSettings{}},
	"PUT /api/v2/settings/faces":                   {model.FaceSearchSwitch{}, model.FaceSettings{}},
	"POST /api/v2/settings/faces/purge":            {nil, model.FaceSettings{}},
	"GET /api/v2/share_forms":                      {nil, []model.ShareForm{}},
	"POST /api/v2/share_forms":                     {model.ShareFormInput{}, model.ShareForm{}},
	"GET /api/v2/share_forms/:id":                  {nil, model.ShareForm{}},
	"PUT /api/v2/share_forms/:id":                  {model.ShareFormInput{}, model.ShareForm{}},
	"GET /api/v2/clickwraps":                       {nil, []model.Clickwrap{}},
	"POST /api/v2/clickwraps":                      {model.ClickwrapInput{}, model.Clickwrap{}},
	"GET /api/v2/clickwraps/:id":                   {nil, model.Clickwrap{}},
	"PUT /api/v2/clickwraps/:id":                   {model.ClickwrapInput{}, model.Clickwrap{}},

	"GET /api/v2/share_links":                            {nil, []model.ShareLink{}},
	"POST /api/v2/share_links":                           {model.NewShareLink{}, model.ShareLink{}},
	"GET /api/v2/share_links/:id":                        {nil, model.ShareLink{}},
	"PUT /api/v2/share_links/:id":                        {model.ShareLinkPatch{}, model.ShareLink{}},
	"POST /api/v2/share_links/:id/items":                 {model.ShareLinkItems{}, model.ShareLink{}},
	"POST /api/v2/share_links/revoke":                    {model.RevokeShareLinks{}, model.RevokeAnswer{}},
	"GET /api/v2/share_links/:id/access_log":             {nil, []model.AccessLogEntry{}},
	"GET /api/v2/share_links/:id/emails":                 {nil, []model.ShareRecipient{}},
	"POST /api/v2/share_links/:id/emails":                {model.ShareEmail{}, []model.ShareRecipient{}},
	"GET /api/v2/share_links/:id/registrations":          {nil, []model.Registration{}},
	"GET /api/v2/review_links":                           {nil, []model.ReviewLink{}},
	"GET /api/v2/projects/:id/review_links":              {nil, []model.ReviewLink{}},
	"POST /api/v2/projects/:id/review_links":             {model.ReviewLinkInput{}, model.ReviewLink{}},
	"GET /api/v2/review_links/:id":                       {nil, model.ReviewLink{}},
	"PUT /api/v2/review_links/:id":                       {model.ReviewLinkInput{}, model.ReviewLink{}},
	"POST /api/v2/review_links/:id/assets":               {model.ReviewLinkAssets{}, model.ReviewLink{}},
	"GET /api/v2/review_links/:id/items":                 {nil, []model.ReviewLinkItem{}},
	"GET /api/v2/review_links/:id/activity":              {nil, model.ReviewLinkActivity{}},
	"POST /api/v2/review_links/:id/share":                {model.ReviewLinkShare{}, model.ReviewLinkShareAnswer{}},
	"GET /api/v2/upload_links":                           {nil, []model.UploadLink{}},
	"POST /api/v2/upload_links":                          {model.NewUploadLink{}, model.UploadLink{}},
	"GET /api/v2/upload_links/stats":                     {nil, model.UploadLinkStats{}},
	"GET /api/v2/upload_links/:id":                       {nil, model.UploadLink{}},
	"POST /api/v2/upload_links/:id/resend":               {nil, model.UploadLink{}},
	"POST /api/v2/public/links/:key/unlock":              {model.Unlock{}, nil},
	"POST /api/v2/public/links/:key/register":            {model.RegisterRequest{}, model.PublicShare{}},
	"POST /api/v2/public/links/:key/reviewer":            {model.ReviewerName{}, model.PublicReview{}},
	"GET /api/v2/public/links/:key/assets/:id/comments":  {nil, []model.Comment{}},
	"POST /api/v2/public/links/:key/assets/:id/comments": {model.NewComment{}, model.Comment{}},
	"PUT /api/v2/public/links/:key/assets/:id/approval":  {model.ApprovalInput{}, nil},
	"POST /api/v2/public/links/:key/folders":             {model.NewPublicFolder{}, model.VisitorAsset{}},
	"PUT /api/v2/public/links/:key/assets/:id":           {model.AssetPatch{}, model.VisitorAsset{}},
	"POST /api/v2/public/links/:key/assets/:id/copy":     {model.CopyTo{}, model.VisitorAsset{}},
	"GET /api/v2/public/links/:key/people":               {nil, model.PeopleStrip{}},
	"GET /api/v2/public/links/:key/people/:person":       {nil, model.PeoplePhotos{}},
}

// schemas builds OpenAPI schemas of model types into components, by name.
type schemas map[string]any

var timeType = reflect.TypeOf(time.Time{})

// of is the schema of t: a $ref for a named struct (added to s once).
func (s schemas) of(t reflect.Type) map[string]any {
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t.Kind() == reflect.Pointer:
		return nullable(s.of(t.Elem()))
	case t.Kind() == reflect.Struct && strings.HasPrefix(t.Name(), "Opt["):
		v, _ := t.FieldByName("Value") // Opt[T]: absent, null or a T
		return nullable(s.of(v.Type.Elem()))
	case t.Kind() == reflect.Struct:
		name := t.Name()
		if _, done := s[name]; !done {
			s[name] = nil // recursion guard
			props := map[string]any{}
			s.fields(t, props)
			s[name] = map[string]any{"type": "object", "properties": props}
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	case t.Kind() == reflect.Slice:
		return map[string]any{"type": "array", "items": s.of(t.Elem())}
	case t.Kind() == reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": s.of(t.Elem())}
	case t.Kind() == reflect.String:
		return map[string]any{"type": "string"}
	case t.Kind() == reflect.Bool:
		return map[string]any{"type": "boolean"}
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		return map[string]any{"type": "integer"}
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		return map[string]any{"type": "number"}
	}
	return map[string]any{} // any
}

// fields adds t's JSON fields to props, embedded structs' inline.
func (s schemas) fields(t reflect.Type, props map[string]any) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case f.Anonymous && name == "":
			s.fields(f.Type, props)
		case !f.IsExported() || name == "-":
		case name == "":
			props[f.Name] = s.of(f.Type)
		default:
			props[name] = s.of(f.Type)
		}
	}
}

func nullable(m map[string]any) map[string]any {
	if _, ref := m["$ref"]; ref {
		return map[string]any{"allOf": []any{m}, "nullable": true}
	}
	out := map[string]any{"nullable": true}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// jsonContent is an OpenAPI content map of one JSON schema.
func jsonContent(schema map[string]any) map[string]any {
	return map[string]any{"application/json": map[string]any{"schema": schema}}
}
