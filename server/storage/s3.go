package storage

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Options say where an S3-compatible bucket is and how to reach it.
type S3Options struct {
	Endpoint  string // https://host[:port] (http only on loopback; config checks)
	Region    string
	Bucket    string
	Prefix    string // key prefix inside the bucket, e.g. "ferry/"
	PathStyle bool   // bucket in the path rather than the host name
	CAFile    string // extra PEM roots for the endpoint's certificate
	AccessKey string
	SecretKey string
}

// S3 stores blobs as objects of one bucket under a prefix. Writes become
// visible only when they complete (a single PUT or a completed multipart
// upload), which gives Create the same atomicity as Disk's rename.
type S3 struct {
	Client *minio.Client
	Core   *minio.Core
	Bucket string
	Prefix string
	// PresignTTL, when set, makes downloads redirects to presigned URLs
	// valid this long.
	PresignTTL time.Duration

	tr http.RoundTripper
}

func (s *S3) transport() http.RoundTripper { return s.tr }

// partSize is the multipart part size of Create, Put and Import: the
// memory one streaming write of unknown size holds, and 10 000 parts of it
// (the S3 maximum) make 160 GiB, more than any upload Ferry accepts by
// default (50 GiB).
const partSize = 16 << 20

// NewS3 connects to the store (no request is made; see Check).
func NewS3(o S3Options) (*S3, error) {
	u, err := url.Parse(o.Endpoint)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("storage: s3 endpoint %q is not a URL", o.Endpoint)
	}
	secure := u.Scheme == "https"
	tr, err := minio.DefaultTransport(secure)
	if err != nil {
		return nil, err
	}
	if o.CAFile != "" {
		pem, err := os.ReadFile(o.CAFile)
		if err != nil {
			return nil, fmt.Errorf("storage: s3.ca_file: %w", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("storage: s3.ca_file %s holds no PEM certificate", o.CAFile)
		}
		tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	lookup := minio.BucketLookupAuto
	if o.PathStyle {
		lookup = minio.BucketLookupPath
	}
	opts := &minio.Options{
		Creds:        credentials.NewStaticV4(o.AccessKey, o.SecretKey, ""),
		Secure:       secure,
		Region:       o.Region,
		BucketLookup: lookup,
		Transport:    tr,
	}
	c, err := minio.New(u.Host, opts)
	if err != nil {
		return nil, err
	}
	prefix := strings.Trim(o.Prefix, "/")
	if prefix != "" {
		prefix += "/"
	}
	return &S3{Client: c, Core: &minio.Core{Client: c}, Bucket: o.Bucket, Prefix: prefix, tr: tr}, nil
}

// Object is the object name of key (prefix included).
func (s *S3) Object(key string) (string, error) {
	if key == "" || strings.Contains(key, "..") || strings.HasPrefix(key, "/") || strings.ContainsRune(key, 0) {
		return "", fmt.Errorf("storage: bad key %q", key)
	}
	return s.Prefix + key, nil
}

// notExist maps S3's missing-object answers to ErrNotExist.
func notExist(err error) error {
	switch minio.ToErrorResponse(err).Code {
	case "NoSuchKey", "NotFound":
		return fmt.Errorf("%w: %v", ErrNotExist, err)
	}
	return err
}

// Open implements Blobs. The object is read with one streamed GET per
// sequential run; a seek elsewhere starts a ranged GET there.
func (s *S3) Open(key string) (File, error) {
	obj, info, err := s.stat(key)
	if err != nil {
		return nil, err
	}
	return &s3File{s: s, obj: obj, info: info}, nil
}

// stat is key's object name and facts; ErrNotExist when there is none.
func (s *S3) stat(key string) (string, objectInfo, error) {
	obj, err := s.Object(key)
	if err != nil {
		return "", objectInfo{}, err
	}
	info, err := s.Client.StatObject(context.Background(), s.Bucket, obj, minio.StatObjectOptions{})
	if err != nil {
		return "", objectInfo{}, notExist(err)
	}
	return obj, objectInfo{info}, nil
}

// Create implements Blobs: the bytes stream into a multipart upload that
// completes on Close.
func (s *S3) Create(key string) (io.WriteCloser, error) {
	obj, err := s.Object(key)
	if err != nil {
		return nil, err
	}
	pr, pw := io.Pipe()
	w := &s3Writer{pw: pw, done: make(chan error, 1)}
	go func() {
		err := s.put(obj, pr, -1)
		pr.CloseWithError(err) // a writer still writing learns why
		w.done <- err
	}()
	return w, nil
}

// Put writes size bytes from r to key: one PUT when small, a multipart
// upload of partSize parts when not.
func (s *S3) Put(key string, r io.Reader, size int64) error {
	obj, err := s.Object(key)
	if err != nil {
		return err
	}
	return s.put(obj, r, size)
}

// put streams size bytes (-1: until EOF) from r into obj, in partSize parts.
func (s *S3) put(obj string, r io.Reader, size int64) error {
	_, err := s.Client.PutObject(context.Background(), s.Bucket, obj, r, size,
		minio.PutObjectOptions{PartSize: partSize, ContentType: "application/octet-stream"})
	return err
}

type s3Writer struct {
	pw   *io.PipeWriter
	done chan error
}

func (w *s3Writer) Write(p []byte) (int, error) { return w.pw.Write(p) }

func (w *s3Writer) Close() error {
	w.pw.Close()
	return <-w.done
}

// Stat implements Blobs.
func (s *S3) Stat(key string) (fs.FileInfo, error) {
	_, info, err := s.stat(key)
	if err != nil {
		return nil, err
	}
	return info, nil
}

// Remove implements Blobs.
func (s *S3) Remove(key string) error {
	obj, err := s.Object(key)
	if err != nil {
		return err
	}
	return s.Client.RemoveObject(context.Background(), s.Bucket, obj, minio.RemoveObjectOptions{})
}

// RemoveAll implements Blobs.
func (s *S3) RemoveAll(prefix string) error {
	obj, err := s.Object(prefix)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	objs := s.Client.ListObjects(ctx, s.Bucket, minio.ListObjectsOptions{Prefix: strings.TrimSuffix(obj, "/") + "/", Recursive: true})
	for e := range s.Client.RemoveObjects(ctx, s.Bucket, objs, minio.RemoveObjectsOptions{}) {
		if e.Err != nil {
			return e.Err
		}
	}
	// Also the object named exactly prefix, as Disk's RemoveAll of a file.
	return s.Client.RemoveObject(ctx, s.Bucket, obj, minio.RemoveObjectOptions{})
}

// Import implements Blobs: the file is uploaded (multipart when large)
// and removed from the disk once the object is complete.
func (s *S3) Import(localPath, key string) error {
	obj, err := s.Object(key)
	if err != nil {
		return err
	}
	if _, err := s.Client.FPutObject(context.Background(), s.Bucket, obj, localPath,
		minio.PutObjectOptions{PartSize: partSize, ContentType: "application/octet-stream"}); err != nil {
		return err
	}
	return os.Remove(localPath)
}

// LocalPath implements Blobs: objects have no path on this disk.
func (s *S3) LocalPath(string) (string, bool) { return "", false }

// PresignGet implements Presigner: a URL valid for PresignTTL when that is
// set (s3.presign_downloads), else ok is false and the bytes go through Ferry.
func (s *S3) PresignGet(key, disposition, contentType string) (string, bool, error) {
	if s.PresignTTL <= 0 {
		return "", false, nil
	}
	obj, err := s.Object(key)
	if err != nil {
		return "", false, err
	}
	q := url.Values{}
	q.Set("response-content-disposition", disposition)
	q.Set("response-content-type", contentType)
	u, err := s.Client.PresignedGetObject(context.Background(), s.Bucket, obj, s.PresignTTL, q)
	if err != nil {
		return "", false, err
	}
	return u.String(), true, nil
}

// Presigner is a store that may hand out short-lived URLs for reading a
// key directly from it.
type Presigner interface {
	PresignGet(key, disposition, contentType string) (url string, ok bool, err error)
}

// objectInfo is an object's fs.FileInfo.
type objectInfo struct{ minio.ObjectInfo }

func (o objectInfo) Name() string       { return path.Base(o.Key) }
func (o objectInfo) Size() int64        { return o.ObjectInfo.Size }
func (o objectInfo) Mode() fs.FileMode  { return 0o600 }
func (o objectInfo) ModTime() time.Time { return o.LastModified }
func (o objectInfo) IsDir() bool        { return false }
func (o objectInfo) Sys() any           { return o.ObjectInfo }

// s3File reads an object. ReadAt and Read share one open response body
// while they go forward without gaps, so a SectionReader over the whole
// object (the download path) costs one GET, not one per buffer.
type s3File struct {
	s    *S3
	obj  string
	info objectInfo

	mu     sync.Mutex
	pos    int64 // Read/Seek position
	body   io.ReadCloser
	bodyAt int64 // offset of body's next byte
}

func (f *s3File) Stat() (fs.FileInfo, error) { return f.info, nil }

func (f *s3File) Read(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n, err := f.readAt(p, f.pos)
	f.pos += int64(n)
	return n, err
}

func (f *s3File) ReadAt(p []byte, off int64) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	total := 0
	for total < len(p) {
		n, err := f.readAt(p[total:], off+int64(total))
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

func (f *s3File) readAt(p []byte, off int64) (int, error) {
	size := f.info.Size()
	if off >= size {
		return 0, io.EOF
	}
	if f.body == nil || f.bodyAt != off {
		if f.body != nil {
			f.body.Close()
		}
		opts := minio.GetObjectOptions{}
		if off > 0 { // SetRange(0, 0) would ask for the first byte only
			if err := opts.SetRange(off, 0); err != nil {
				return 0, err
			}
		}
		body, _, _, err := f.s.Core.GetObject(context.Background(), f.s.Bucket, f.obj, opts)
		if err != nil {
			f.body = nil
			return 0, notExist(err)
		}
		f.body, f.bodyAt = body, off
	}
	n, err := f.body.Read(p)
	f.bodyAt += int64(n)
	if errors.Is(err, io.EOF) && f.bodyAt < size {
		err = io.ErrUnexpectedEOF
	}
	if err != nil && !errors.Is(err, io.EOF) {
		f.body.Close()
		f.body = nil
	}
	if errors.Is(err, io.EOF) && n > 0 {
		err = nil
	}
	return n, err
}

func (f *s3File) Seek(offset int64, whence int) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += f.pos
	case io.SeekEnd:
		offset += f.info.Size()
	default:
		return 0, errors.New("storage: bad whence")
	}
	if offset < 0 {
		return 0, errors.New("storage: negative position")
	}
	f.pos = offset
	return offset, nil
}

func (f *s3File) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.body != nil {
		err := f.body.Close()
		f.body = nil
		return err
	}
	return nil
}

var (
	_ Blobs     = (*S3)(nil)
	_ Presigner = (*S3)(nil)
)
