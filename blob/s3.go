package blob

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3 keeps blobs as objects in one bucket of S3-compatible storage.
type S3 struct {
	client *minio.Client
	bucket string
	prefix string
}

// S3Config says where the bucket is and how to reach it.
type S3Config struct {
	Endpoint  string // host:port, without scheme
	Secure    bool   // https
	Region    string
	Bucket    string
	Prefix    string // optional key prefix inside the bucket, like "jtai/"
	AccessKey string
	SecretKey string
	// PathStyle addresses the bucket in the path rather than the host
	// name, as most self-hosted S3-compatible servers need.
	PathStyle bool
}

// ParseS3URL reads s3://ACCESS:SECRET@HOST:PORT/BUCKET/PREFIX?region=R&insecure=1
// into a configuration; the URL's path style is always used.
func ParseS3URL(s string) (S3Config, error) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "s3" || u.Host == "" {
		return S3Config{}, fmt.Errorf("document storage URL must look like s3://ACCESS:SECRET@host:port/bucket")
	}
	bucket, prefix, _ := strings.Cut(strings.TrimPrefix(u.Path, "/"), "/")
	if bucket == "" {
		return S3Config{}, fmt.Errorf("document storage URL has no bucket: write it like s3://ACCESS:SECRET@host:port/bucket")
	}
	secret, _ := u.User.Password()
	q := u.Query()
	return S3Config{Endpoint: u.Host, Secure: q.Get("insecure") == "", Region: q.Get("region"), Bucket: bucket,
		Prefix: prefix, AccessKey: u.User.Username(), SecretKey: secret, PathStyle: true}, nil
}

// OpenS3 connects to the bucket, creating it when it does not exist.
func OpenS3(ctx context.Context, cfg S3Config) (*S3, error) {
	opts := &minio.Options{Creds: credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""), Secure: cfg.Secure, Region: cfg.Region}
	if cfg.PathStyle {
		opts.BucketLookup = minio.BucketLookupPath
	}
	c, err := minio.New(cfg.Endpoint, opts)
	if err != nil {
		return nil, fmt.Errorf("document storage: %w", err)
	}
	ok, err := c.BucketExists(ctx, cfg.Bucket)
	if err != nil {
		return nil, fmt.Errorf("document storage: bucket %s: %w", cfg.Bucket, err)
	}
	if !ok {
		if err := c.MakeBucket(ctx, cfg.Bucket, minio.MakeBucketOptions{Region: cfg.Region}); err != nil {
			return nil, fmt.Errorf("document storage: create bucket %s: %w", cfg.Bucket, err)
		}
	}
	prefix := strings.Trim(cfg.Prefix, "/")
	if prefix != "" {
		prefix += "/"
	}
	return &S3{client: c, bucket: cfg.Bucket, prefix: prefix}, nil
}

// Put uploads the object; its size is not known in advance, so the client
// sends it in parts. The payload is not signed chunk by chunk (some
// S3-compatible servers store the chunk signatures as data): its integrity
// rests on TLS and on the seal the caller put on it.
func (s *S3) Put(ctx context.Context, key string, r io.Reader) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	_, err := s.client.PutObject(ctx, s.bucket, s.prefix+key, r, -1, minio.PutObjectOptions{ContentType: "application/octet-stream", DisableContentSha256: true})
	if err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	return nil
}

// Get opens the object, asking for it at once so that a missing object
// is ENOTFOUND here rather than at the first read.
func (s *S3) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	if err := CheckKey(key); err != nil {
		return nil, err
	}
	obj, err := s.client.GetObject(ctx, s.bucket, s.prefix+key, minio.GetObjectOptions{})
	if err == nil {
		_, err = obj.Stat()
	}
	if err != nil {
		if obj != nil {
			obj.Close()
		}
		if minio.ToErrorResponse(err).StatusCode == http.StatusNotFound {
			return nil, notFound(key)
		}
		return nil, fmt.Errorf("get %s: %w", key, err)
	}
	return obj, nil
}

// Delete removes the object.
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	if err := s.client.RemoveObject(ctx, s.bucket, s.prefix+key, minio.RemoveObjectOptions{}); err != nil {
		if minio.ToErrorResponse(err).StatusCode == http.StatusNotFound {
			return nil
		}
		return fmt.Errorf("delete %s: %w", key, err)
	}
	return nil
}
