package config

import (
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
)

// UsesS3 says whether anything (bytes or backups) goes to the object store.
func (c Config) UsesS3() bool { return c.Storage.Backend == "s3" || c.Backup.To == "s3" }

// validateStorage checks the storage, s3 and backup sections.
func (c Config) validateStorage() error {
	switch c.Storage.Backend {
	case "disk", "s3":
	default:
		return &KeyError{"storage.backend", "want disk or s3"}
	}
	switch c.Backup.To {
	case "", "s3":
	default:
		return &KeyError{"backup.to", `want "" (off) or s3`}
	}
	if c.Backup.To != "" && time.Duration(c.Backup.Interval) < 5*time.Second {
		return &KeyError{"backup.interval", "must be at least 5s"}
	}
	if c.Backup.Keep < 1 {
		return &KeyError{"backup.keep", "must be at least 1"}
	}
	if !c.UsesS3() {
		return nil
	}
	if problem := endpointProblem(c.S3.Endpoint); problem != "" {
		return &KeyError{"s3.endpoint", problem}
	}
	if c.S3.Bucket == "" {
		return &KeyError{"s3.bucket", "name the bucket"}
	}
	if strings.HasPrefix(c.S3.Prefix, "/") || strings.Contains(c.S3.Prefix, "..") {
		return &KeyError{"s3.prefix", "want a relative key prefix such as ferry/ (no leading /, no ..)"}
	}
	if c.S3.AccessKey == "" || c.S3.SecretKey == "" {
		return &KeyError{"s3", "set FERRY_S3_ACCESS_KEY and FERRY_S3_SECRET_KEY in the environment (credentials are never read from the file)"}
	}
	return nil
}

// endpointProblem says what is wrong with an S3 endpoint URL, or "".
// Plain http is refused except on loopback: the credentials sign every
// request, but the bytes would cross the network in the clear.
func endpointProblem(endpoint string) string {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" || u.Path != "" && u.Path != "/" {
		return fmt.Sprintf("%q: want a URL such as https://s3.example.com or http://127.0.0.1:9000", endpoint)
	}
	switch u.Scheme {
	case "https":
		return ""
	case "http":
		host := u.Hostname()
		if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() || host == "localhost" {
			return ""
		}
		return fmt.Sprintf("%q: plain http only on loopback; use https", endpoint)
	}
	return fmt.Sprintf("%q: want an http(s) URL", endpoint)
}
