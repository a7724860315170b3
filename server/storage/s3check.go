package storage

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/minio/minio-go/v7"
)

// MaxClockSkew is the largest difference between this machine's clock and
// the store's that Check accepts. S3 refuses signatures more than 15
// minutes off; refusing earlier says why instead of failing later.
const MaxClockSkew = 5 * time.Minute

// Check makes sure the bucket can be used: the clock agrees with the
// store's, the bucket exists, the credentials are accepted, and an object
// can be written, read and removed under the prefix. Its error says which
// of these failed and what the store answered.
func (s *S3) Check(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	where := fmt.Sprintf("s3 bucket %q at %s", s.Bucket, s.Client.EndpointURL())
	if skew, err := s.clockSkew(ctx); err != nil {
		return fmt.Errorf("%s: unreachable: %w", where, err)
	} else if skew > MaxClockSkew || skew < -MaxClockSkew {
		return fmt.Errorf("%s: this machine's clock is %s off the store's (more than %s): fix the time (NTP) and start again", where, skew.Round(time.Second), MaxClockSkew)
	}
	ok, err := s.Client.BucketExists(ctx, s.Bucket)
	if err != nil {
		return fmt.Errorf("%s: %s", where, refusal(err))
	}
	if !ok {
		return fmt.Errorf("%s: the bucket does not exist: create it (Ferry does not create buckets)", where)
	}
	obj := s.Prefix + ".ferry-check"
	body := []byte("ferry " + time.Now().UTC().Format(time.RFC3339Nano))
	if _, err := s.Client.PutObject(ctx, s.Bucket, obj, bytes.NewReader(body), int64(len(body)), minio.PutObjectOptions{}); err != nil {
		return fmt.Errorf("%s: not writable: %s", where, refusal(err))
	}
	if _, err := s.Client.StatObject(ctx, s.Bucket, obj, minio.StatObjectOptions{}); err != nil {
		return fmt.Errorf("%s: an object just written cannot be read: %s", where, refusal(err))
	}
	if err := s.Client.RemoveObject(ctx, s.Bucket, obj, minio.RemoveObjectOptions{}); err != nil {
		return fmt.Errorf("%s: an object just written cannot be removed: %s", where, refusal(err))
	}
	return nil
}

// clockSkew is the store's clock minus this machine's, read from the Date
// header of an unsigned request (any answer, even 403, carries one).
func (s *S3) clockSkew(ctx context.Context) (time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, s.Client.EndpointURL().String(), nil)
	if err != nil {
		return 0, err
	}
	hc := &http.Client{Transport: s.transport(), Timeout: 10 * time.Second}
	before := time.Now()
	resp, err := hc.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	date, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		return 0, nil // no Date header: the signed requests will tell
	}
	// Date has a resolution of a second; compare with the middle of the round trip.
	local := before.Add(time.Since(before) / 2)
	return date.Sub(local.Truncate(time.Second)), nil
}

// refusal says in words why the store refused a request.
func refusal(err error) string {
	switch minio.ToErrorResponse(err).Code {
	case "InvalidAccessKeyId":
		return "the access key is unknown to the store (check FERRY_S3_ACCESS_KEY): " + err.Error()
	case "SignatureDoesNotMatch":
		return "the secret key is wrong (check FERRY_S3_SECRET_KEY): " + err.Error()
	case "AccessDenied":
		return "access denied for these credentials: " + err.Error()
	case "RequestTimeTooSkewed":
		return "this machine's clock is too far off the store's: " + err.Error()
	case "NoSuchBucket":
		return "the bucket does not exist: " + err.Error()
	}
	return err.Error()
}
