/* nn_io.c — whole-file reads and atomic writes (see nn_io.h). */
#define _POSIX_C_SOURCE 200809L
#include "nn_io.h"
#include "nn_common.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The file a write to `path` should replace: `path` itself, or, when it is a symbolic link, the file the link
 * chain ends at (so the link keeps pointing at the updated file). Returns a malloc'd path, or NULL with errno. */
static char *write_target(const char *path)
{
    char *cur = nn_strdup(path);
    for (int hops = 0; hops < 40; hops++) {
        struct stat st;
        if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode)) return cur; /* missing (to be created) or not a link */
        size_t cap = (size_t)st.st_size + 1 > 256 ? (size_t)st.st_size + 1 : 256;
        char *lnk = nn_calloc(cap + 1, 1);
        ssize_t r = readlink(cur, lnk, cap);
        if (r < 0 || (size_t)r >= cap) {
            free(lnk), free(cur);
            errno = r < 0 ? errno : ENAMETOOLONG;
            return NULL;
        }
        lnk[r] = '\0';
        if (lnk[0] != '/') { /* relative to the link's directory */
            const char *slash = strrchr(cur, '/');
            size_t dl = slash ? (size_t)(slash - cur) + 1 : 0;
            char *joined = nn_calloc(dl + (size_t)r + 1, 1);
            memcpy(joined, cur, dl), memcpy(joined + dl, lnk, (size_t)r);
            free(lnk);
            lnk = joined;
        }
        free(cur);
        cur = lnk;
    }
    free(cur);
    errno = ELOOP;
    return NULL;
}

/* The temporary file being written, so that SIGINT/SIGTERM/SIGHUP can remove it before the program ends
 * (a SIGKILL cannot be caught: the name starts with ".nnlab-tmp-" so a stale one is recognizable). */
static char *volatile pending_tmp;

static void remove_pending(int sig)
{
    char *p = pending_tmp;
    if (p) unlink(p);
    signal(sig, SIG_DFL);
    raise(sig);
}

int nn_path(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    if (k < 0 || (size_t)k >= n) {
        char head[64];
        snprintf(head, sizeof head, "%.60s", buf);
        buf[0] = '\0';
        return nn_fail("the path '%s…' is longer than %zu characters", head, n - 1);
    }
    return 0;
}

int nn_write_file_atomic(const char *path, const void *data, size_t len)
{
    char *target = write_target(path);
    if (!target) return nn_fail("cannot write '%s': %s", path, strerror(errno));
    struct stat st;
    if (stat(target, &st) == 0 && !S_ISREG(st.st_mode)) {
        int dir = S_ISDIR(st.st_mode);
        free(target);
        return nn_fail("cannot write '%s': %s", path,
                       dir ? strerror(EISDIR) : "not a regular file (a device, a pipe or a socket): results are written to "
                                                "regular files only, and the existing one is left alone");
    }
    /* the temporary file: a short name in the target's directory (a long file name plus a suffix could exceed
     * the name limit) */
    const char *slash = strrchr(target, '/');
    size_t dl = slash ? (size_t)(slash - target) + 1 : 0;
    char *tmp = nn_calloc(dl + 32, 1);
    memcpy(tmp, target, dl);
    memcpy(tmp + dl, ".nnlab-tmp-XXXXXX", 18);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp), free(target);
        return nn_fail("cannot write '%s': %s", path, strerror(e));
    }
    struct sigaction sa = {0}, old[3];
    const int sigs[3] = {SIGINT, SIGTERM, SIGHUP};
    sa.sa_handler = remove_pending;
    sigemptyset(&sa.sa_mask);
    pending_tmp = tmp;
    for (int k = 0; k < 3; k++) sigaction(sigs[k], &sa, &old[k]);
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
    if (!e && rename(tmp, target) != 0) e = errno;
    if (e) unlink(tmp);
    pending_tmp = NULL;
    for (int k = 0; k < 3; k++) sigaction(sigs[k], &old[k], NULL);
    free(tmp), free(target);
    if (e) return nn_fail("cannot write '%s': %s (the previous file, if any, is unchanged)", path, strerror(e));
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
