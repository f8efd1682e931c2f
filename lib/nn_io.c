/* nn_io.c — whole-file reads and atomic writes (see nn_io.h). */
#define _POSIX_C_SOURCE 200809L
#include "nn_io.h"
#include "nn_common.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
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

/* The temporary files being written, so that SIGINT/SIGTERM/SIGHUP can remove them before the program ends
 * (a SIGKILL cannot be caught: the names start with ".nnlab-tmp-" so a stale one is recognizable). */
#define NN_MAX_SET 16
static char *volatile pending_tmp[NN_MAX_SET];

static void remove_pending(int sig)
{
    for (int i = 0; i < NN_MAX_SET; i++) {
        char *p = pending_tmp[i];
        if (p) unlink(p);
    }
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

/* One file written to a temporary file beside its target (not yet renamed): 0, or an errno. */
static int write_tmp(const char *target, const void *data, size_t len, char **tmp_out, int slot)
{
    const char *slash = strrchr(target, '/');
    size_t dl = slash ? (size_t)(slash - target) + 1 : 0;
    char *tmp = nn_calloc(dl + 32, 1); /* a short name: a long file name plus a suffix could exceed the limit */
    memcpy(tmp, target, dl);
    memcpy(tmp + dl, ".nnlab-tmp-XXXXXX", 18);
    *tmp_out = NULL;
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return e;
    }
    *tmp_out = tmp;
    pending_tmp[slot] = tmp;
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
    return e;
}

int nn_write_files_atomic(int n, const char *const *paths, const void *const *data, const size_t *len)
{
    NN_ASSERT(n >= 1 && n <= NN_MAX_SET, "nn_write_files_atomic: %d files (1 to %d)", n, NN_MAX_SET);
    char *target[NN_MAX_SET] = {0}, *tmp[NN_MAX_SET] = {0};
    int e = 0, bad = -1;
    for (int i = 0; i < n && !e; i++) {
        target[i] = write_target(paths[i]);
        if (!target[i]) {
            e = errno, bad = i;
            break;
        }
        struct stat st;
        if (stat(target[i], &st) == 0 && !S_ISREG(st.st_mode)) {
            int dir = S_ISDIR(st.st_mode);
            for (int k = 0; k <= i; k++) free(target[k]);
            return nn_fail("cannot write '%s': %s", paths[i],
                           dir ? strerror(EISDIR) : "not a regular file (a device, a pipe or a socket): results are written to "
                                                    "regular files only, and the existing one is left alone");
        }
    }
    struct sigaction sa = {0}, old[3];
    const int sigs[3] = {SIGINT, SIGTERM, SIGHUP};
    sa.sa_handler = remove_pending;
    sigemptyset(&sa.sa_mask);
    for (int k = 0; k < 3; k++) sigaction(sigs[k], &sa, &old[k]);
    /* every file to its temporary first; only when all are complete does any replace its target, so a
     * set of files (the converted digits) is never half old and half new after a failed write */
    for (int i = 0; i < n && !e; i++) {
        e = write_tmp(target[i], data[i], len[i], &tmp[i], i);
        if (e) bad = i;
    }
    for (int i = 0; i < n && !e; i++)
        if (rename(tmp[i], target[i]) != 0) e = errno, bad = i;
        else pending_tmp[i] = NULL, free(tmp[i]), tmp[i] = NULL;
    for (int i = 0; i < n; i++) {
        if (tmp[i]) unlink(tmp[i]);
        pending_tmp[i] = NULL;
        free(tmp[i]), free(target[i]);
    }
    for (int k = 0; k < 3; k++) sigaction(sigs[k], &old[k], NULL);
    if (e)
        return nn_fail("cannot write '%s': %s (the previous file%s, if any, %s unchanged)", paths[bad], strerror(e),
                       n > 1 ? "s" : "", n > 1 ? "are" : "is");
    return 0;
}

int nn_write_file_atomic(const char *path, const void *data, size_t len)
{
    return nn_write_files_atomic(1, &path, &data, &len);
}

int nn_read_file(const char *path, size_t max_len, char **data, size_t *len)
{
    struct stat st;
    if (stat(path, &st) != 0) return nn_fail("cannot open '%s': %s", path, strerror(errno));
    if (S_ISDIR(st.st_mode)) return nn_fail("'%s' is a directory, expected a file", path);
    if (S_ISREG(st.st_mode) && (size_t)st.st_size > max_len)
        return nn_fail("'%s' is too large (%lld bytes, at most %zu)", path, (long long)st.st_size, max_len);
    FILE *f = fopen(path, "rb");
    if (!f) return nn_fail("cannot open '%s': %s", path, strerror(errno));
    /* read to the end: a pipe or a process substitution has no size to trust, a regular file's is a hint */
    size_t cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 4096, got = 0;
    char *buf = nn_calloc(cap, 1);
    for (;;) {
        if (got + 1 >= cap) { /* full: grow only if there is more */
            int c = fgetc(f);
            if (c == EOF || got + 1 > max_len) {
                got += c != EOF;
                break;
            }
            cap = cap * 2 > max_len + 2 ? max_len + 2 : cap * 2;
            char *b = realloc(buf, cap);
            NN_ASSERT(b != NULL, "out of memory reading '%s'", path);
            buf = b;
            buf[got++] = (char)c;
        }
        size_t r = fread(buf + got, 1, cap - 1 - got, f);
        got += r;
        if (r == 0) break;
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        free(buf);
        return nn_fail("cannot read '%s': %s", path, strerror(errno ? errno : EIO));
    }
    if (got > max_len) {
        free(buf);
        return nn_fail("'%s' is too large (more than %zu bytes)", path, max_len);
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

int nn_list_dir(const char *dir, const char *suffix, char ***names, int *n)
{
    *names = NULL, *n = 0;
    DIR *d = opendir(dir);
    if (!d) return nn_fail("cannot read the folder '%s': %s", dir, strerror(errno));
    int cap = 0;
    const size_t ls = strlen(suffix);
    for (struct dirent *de; (de = readdir(d));) {
        const size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.' || len <= ls || strcmp(de->d_name + len - ls, suffix)) continue;
        char *path = nn_calloc(strlen(dir) + len + 2, 1);
        sprintf(path, "%s/%s", dir, de->d_name);
        struct stat st;
        const int regular = stat(path, &st) == 0 && S_ISREG(st.st_mode);
        free(path);
        if (!regular) continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            char **a = realloc(*names, (size_t)cap * sizeof *a);
            NN_ASSERT(a != NULL, "out of memory");
            *names = a;
        }
        (*names)[(*n)++] = nn_strdup(de->d_name);
    }
    closedir(d);
    return 0;
}
