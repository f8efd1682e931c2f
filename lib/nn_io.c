/* nn_io.c — whole-file reads and atomic writes (see nn_io.h). */
#define _POSIX_C_SOURCE 200809L
#include "nn_io.h"
#include "nn_common.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int nn_write_file_atomic(const char *path, const void *data, size_t len)
{
    size_t plen = strlen(path);
    char *tmp = nn_calloc(plen + 16, 1);
    snprintf(tmp, plen + 16, "%s.tmpXXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return nn_fail("cannot write '%s': %s", path, strerror(e));
    }
    const char *p = data;
    size_t left = len;
    int e = 0;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0) {
            if (errno == EINTR) continue;
            e = errno;
            break;
        }
        p += w;
        left -= (size_t)w;
    }
    if (!e && fsync(fd) != 0 && errno != EINVAL && errno != EROFS) e = errno;
    /* mkstemp makes the file 0600; results are for everyone to read */
    if (!e && fchmod(fd, 0644) != 0) e = errno;
    if (close(fd) != 0 && !e) e = errno;
    if (!e && rename(tmp, path) != 0) e = errno;
    if (e) {
        unlink(tmp);
        free(tmp);
        return nn_fail("cannot write '%s': %s (the previous file, if any, is unchanged)", path, strerror(e));
    }
    free(tmp);
    return 0;
}

int nn_read_file(const char *path, size_t max_len, char **data, size_t *len)
{
    struct stat st;
    if (stat(path, &st) != 0) return nn_fail("cannot open '%s': %s", path, strerror(errno));
    if (S_ISDIR(st.st_mode)) return nn_fail("'%s' is a directory, expected a file", path);
    if ((size_t)st.st_size > max_len)
        return nn_fail("'%s' is too large (%lld bytes, at most %zu)", path, (long long)st.st_size, max_len);
    FILE *f = fopen(path, "rb");
    if (!f) return nn_fail("cannot open '%s': %s", path, strerror(errno));
    char *buf = nn_calloc((size_t)st.st_size + 1, 1);
    size_t got = fread(buf, 1, (size_t)st.st_size, f);
    int err = ferror(f);
    fclose(f);
    if (err || got != (size_t)st.st_size) {
        free(buf);
        return nn_fail("cannot read '%s': read %zu of %lld bytes", path, got, (long long)st.st_size);
    }
    buf[got] = '\0';
    *data = buf;
    if (len) *len = got;
    return 0;
}

int nn_file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}
