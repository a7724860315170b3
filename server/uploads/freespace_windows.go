package uploads

import "golang.org/x/sys/windows"

// freeBytes is the disk space under dir available to this process's user
// (quotas applied), as statfs's Bavail is on unix.
func freeBytes(dir string) (uint64, error) {
	p, err := windows.UTF16PtrFromString(dir)
	if err != nil {
		return 0, err
	}
	var avail uint64
	if err := windows.GetDiskFreeSpaceEx(p, &avail, nil, nil); err != nil {
		return 0, err
	}
	return avail, nil
}
