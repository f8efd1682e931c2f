/* fuzz_idx.c — libFuzzer target: the IDX reader on arbitrary bytes, plain and gzip.
 * The input goes to a private temporary file (the reader takes a path); its first byte
 * picks images (3-D) or labels (1-D) and plain or .gz naming. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nnlab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    static char plain[64], gz[64];
    if (!plain[0]) {
        snprintf(plain, sizeof plain, "/tmp/nnlab-fuzz-idx-%d", (int)getpid());
        snprintf(gz, sizeof gz, "/tmp/nnlab-fuzz-idx-%d.gz", (int)getpid());
    }
    const char *path = (data[0] & 2) ? gz : plain;
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    fwrite(data + 1, 1, size - 1, f);
    fclose(f);
    nn_idx idx;
    if (nn_idx_read(path, (data[0] & 1) ? 3 : 1, &idx) == 0) {
        size_t n = 1;
        for (int i = 0; i < idx.ndim; i++) n *= idx.dims[i];
        if (n != idx.size) abort(); /* the reader's own invariant */
        free(idx.data);
    }
    unlink(path);
    return 0;
}
