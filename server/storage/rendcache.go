package storage

import (
	"container/list"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// renditionCache is the index of the local copies of derived files when
// their store of record is the bucket (Tiered): each copy's size, whether
// the bucket is known to hold it, and its last use, so the copies can be
// trimmed to Tiered.RenditionBytes least recently used first. An evicted
// copy is fetched again from the bucket when it is next opened.
//
// Only files the bucket holds are removed: one published (or fetched)
// since the start is known to be there; one found on the disk at the start
// is checked with a HEAD first. A file a tool is still writing, or one
// whose publication failed, is not in the index until it is published.
type renditionCache struct {
	once     sync.Once
	mu       sync.Mutex
	lru      *list.List // of *localRendition, most recently used first
	byKey    map[string]*list.Element
	byDir    map[string]map[string]bool // an asset's proxies/ directory → its keys
	total    int64
	trimming sync.Mutex
}

type localRendition struct {
	key      string
	size     int64
	mod      int64 // the file's modification time (Unix ns) when noted
	inBucket bool  // the bucket holds it, as large
}

func (c *renditionCache) add(r *localRendition, front bool) {
	if front {
		c.byKey[r.key] = c.lru.PushFront(r)
	} else {
		c.byKey[r.key] = c.lru.PushBack(r)
	}
	dir := path.Dir(r.key)
	if c.byDir[dir] == nil {
		c.byDir[dir] = map[string]bool{}
	}
	c.byDir[dir][r.key] = true
	c.total += r.size
}

func (c *renditionCache) remove(e *list.Element) {
	r := e.Value.(*localRendition)
	c.total -= r.size
	c.lru.Remove(e)
	delete(c.byKey, r.key)
	dir := path.Dir(r.key)
	if delete(c.byDir[dir], r.key); len(c.byDir[dir]) == 0 {
		delete(c.byDir, dir)
	}
}

// renditions is the index, read from the disk on first use (the copies'
// modification times order the ones found there).
func (t *Tiered) renditions() *renditionCache {
	c := &t.rc
	c.once.Do(func() {
		c.lru, c.byKey, c.byDir = list.New(), map[string]*list.Element{}, map[string]map[string]bool{}
		var all []localRendition
		root, err := t.Local.path("proxies")
		if err != nil {
			return
		}
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") {
				return nil
			}
			info, err := d.Info()
			rel, err2 := filepath.Rel(t.Local.Root, p)
			if err == nil && err2 == nil {
				all = append(all, localRendition{key: filepath.ToSlash(rel), size: info.Size(), mod: info.ModTime().UnixNano()})
			}
			return nil
		})
		sort.Slice(all, func(i, j int) bool { return all[i].mod > all[j].mod })
		for i := range all {
			c.add(&all[i], false)
		}
	})
	return c
}

// RenditionCacheBytes is what the local copies of renditions take now, as
// far as the index knows.
func (t *Tiered) RenditionCacheBytes() int64 {
	c := t.renditions()
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.total
}

// keptRendition notes that the local copy of key (its size and time)
// was just written or fetched (inBucket: the bucket holds the same
// bytes), then trims the copies to the cap, keeping this one.
func (t *Tiered) keptRendition(key string, st fs.FileInfo, inBucket bool) {
	c := t.renditions()
	c.mu.Lock()
	if e, ok := c.byKey[key]; ok {
		c.remove(e)
	}
	c.add(&localRendition{key: key, size: st.Size(), mod: st.ModTime().UnixNano(), inBucket: inBucket}, true)
	c.mu.Unlock()
	t.trimRenditions(key)
}

// usedRendition marks the local copy of key as just used.
func (t *Tiered) usedRendition(key string) {
	c := t.renditions()
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[key]; ok {
		c.lru.MoveToFront(e)
	}
}

// forgetRenditions drops key, or the keys of the asset directory key,
// from the index (they were removed). A wider prefix is looked for in
// every key.
func (t *Tiered) forgetRenditions(prefix string) {
	c := t.renditions()
	c.mu.Lock()
	defer c.mu.Unlock()
	prefix = strings.TrimSuffix(prefix, "/")
	if e, ok := c.byKey[prefix]; ok {
		c.remove(e)
		return
	}
	if keys, ok := c.byDir[prefix]; ok {
		for k := range keys {
			c.remove(c.byKey[k])
		}
		return
	}
	for k, e := range c.byKey {
		if strings.HasPrefix(k, prefix+"/") {
			c.remove(e)
		}
	}
}

// trimRenditions removes the least recently used local copies the bucket
// holds until the rest fit in RenditionBytes (0: no cap), keeping keep.
// One trim runs at a time; a write meanwhile leaves it to the running one
// or the next.
func (t *Tiered) trimRenditions(keep string) {
	c := t.renditions()
	if t.RenditionBytes <= 0 || !c.trimming.TryLock() {
		return
	}
	defer c.trimming.Unlock()
	tried := map[string]bool{keep: true}
	for {
		victim, ok := c.leastRecent(t.RenditionBytes, tried)
		if !ok {
			return
		}
		tried[victim.key] = true
		if !victim.inBucket { // found on the disk at the start
			st, err := t.Remote.Stat(victim.key)
			if err != nil || st.Size() != victim.size {
				t.usedRendition(victim.key) // not published (yet): it stays, asked again later
				continue
			}
		}
		t.evict(victim)
	}
}

// leastRecent is the least recently used copy not tried yet, while the
// copies take more than max.
func (c *renditionCache) leastRecent(max int64, tried map[string]bool) (localRendition, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.total <= max {
		return localRendition{}, false
	}
	for e := c.lru.Back(); e != nil; e = e.Prev() {
		if r := e.Value.(*localRendition); !tried[r.key] {
			return *r, true
		}
	}
	return localRendition{}, false
}

// evict removes the local copy r, unless it changed since it was picked
// (a tool wrote it again: its publication is to come).
func (t *Tiered) evict(r localRendition) {
	defer t.locks.Lock(r.key)() // not while it is being fetched
	c := t.renditions()
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[r.key]
	if !ok || *e.Value.(*localRendition) != r {
		return // removed, or noted again, meanwhile
	}
	p, err := t.Local.path(r.key)
	if err != nil {
		return
	}
	st, err := os.Stat(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil || st.Size() != r.size || st.ModTime().UnixNano() != r.mod:
		return
	default:
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return
		}
	}
	c.remove(e)
}
