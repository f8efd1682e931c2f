/* nn_io.h — whole-file reads and atomic writes.
 *
 * nn_write_file_atomic writes to a temporary file in the same directory, flushes it
 * to disk, then renames it over `path`: a reader sees either the previous complete
 * file or the new complete one, never a part. On any failure the temporary file is
 * removed, `path` is untouched, and nn_error() names the path and the cause.
 * A symbolic link at `path` is followed: the file it points to is replaced and the link
 * kept. A device, pipe, socket or directory at `path` is refused, never replaced. The
 * temporary file (".nnlab-tmp-XXXXXX" beside the target) is removed if SIGINT, SIGTERM
 * or SIGHUP arrives while it exists. */
#ifndef NN_IO_H
#define NN_IO_H

#include <stddef.h>

int nn_write_file_atomic(const char *path, const void *data, size_t len);
/* n files (at most 16) as one: each goes to a temporary file first, and only when all n are complete does each
 * replace its target; a write that fails (a full disk) leaves every target as it was. (A SIGKILL between the renames, a moment of
 * a few system calls, can still leave a mix.) */
int nn_write_files_atomic(int n, const char *const *paths, const void *const *data, const size_t *len);
/* A path formatted into buf (n bytes); −1 with a message naming it when it does not fit: a path
 * cut short names another file, so it is never used. */
int nn_path(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Read a whole regular file (at most max_len bytes) into a NUL-terminated buffer the
 * caller frees. Fails on a missing file, a directory, an unreadable or too large file. */
int nn_read_file(const char *path, size_t max_len, char **data, size_t *len);
/* 1 if path names an existing regular file. */
int nn_file_exists(const char *path);
/* The names of the regular files in folder `dir` whose names end in `suffix` (not its subfolders; not hidden
 * files), in no particular order: *names (n strings, each and the array owned by the caller). −1 with a message
 * naming the folder when it cannot be read. */
int nn_list_dir(const char *dir, const char *suffix, char ***names, int *n);

#endif
