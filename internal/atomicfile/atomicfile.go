// Package atomicfile writes files so that readers see either the old content
// or the whole new content, never a partial file.
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// CheckDir fails early when the directory that would hold path is missing or
// is not a directory, or when path is itself a directory (Write would refuse
// it), before any work is done: 'scan -o reports/' must not collect a whole
// organization and then fail to write.
func CheckDir(path string) error {
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return fmt.Errorf("output %s is a directory: name the file to write", path)
	}
	dir := filepath.Dir(path)
	info, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("output %s: directory %s does not exist", path, dir)
	}
	if !info.IsDir() {
		return fmt.Errorf("output %s: %s is not a directory", path, dir)
	}
	return nil
}

// Write puts data at path so that readers see the old content or the whole
// new content. A regular file (or a missing one) is replaced atomically: data
// goes to a temporary file next to it, which is renamed into place; on any
// error the temporary file is removed and path is untouched. When path is a
// symlink to a regular file, the file it points to is replaced and the link
// kept. Anything else (a device such as /dev/null or /dev/stdout, a FIFO, a
// dangling symlink) is written through, never replaced by a regular file.
func Write(path string, data []byte, perm os.FileMode) error {
	info, err := os.Stat(path)
	switch {
	case err == nil && info.IsDir():
		return fmt.Errorf("write %s: is a directory", path)
	case err == nil && !info.Mode().IsRegular():
		return writeThrough(path, data, perm)
	case err == nil:
		if real, err := filepath.EvalSymlinks(path); err == nil {
			path = real
		}
	case errors.Is(err, fs.ErrNotExist):
		if li, lerr := os.Lstat(path); lerr == nil && li.Mode()&os.ModeSymlink != 0 {
			return writeThrough(path, data, perm) // creates the link's target
		}
	}
	return replace(path, data, perm)
}

// writeThrough opens path for writing (following links) and writes data.
func writeThrough(path string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// replace writes data to a temporary file next to path and renames it into
// place.
func replace(path string, data []byte, perm os.FileMode) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Chmod(perm); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// Same reports whether paths a and b name the same file: the same file on
// disk when both exist, else the same absolute path.
func Same(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	ia, errA := os.Stat(a)
	ib, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(ia, ib)
	}
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	return errA == nil && errB == nil && absA == absB
}
