/* test_catalogue.c — the catalogue of bad inputs. Each case runs a program the way a
 * student would get it wrong and asserts: a non-zero exit (1 for data and files, 2 for
 * settings and flags), a message naming the file/key/flag and the problem, and that the
 * results file that already existed at --out is byte-for-byte unchanged. */
#include "nn_test.h"

#include <sys/wait.h>

static char dir[512], data[700], keep[700];
static char out[16384];
static const char KEEP[] = "{\"experiment\": \"previous\", \"untouched\": true}\n";

static uint8_t *pixels(int n)
{
    uint8_t *p = calloc((size_t)n * 784, 1);
    for (int i = 0; i < n * 784; i++) p[i] = (uint8_t)(i * 31);
    return p;
}

/* a complete, valid full-MNIST layout; cases then break one file */
static void good_mnist(void)
{
    char p[900];
    uint8_t *px = pixels(40), lb[40];
    for (int i = 0; i < 40; i++) lb[i] = (uint8_t)(i % 10);
    uint32_t d3[3] = {40, 28, 28}, d1[1] = {40};
    const char *names[2][2] = {{"train-images-idx3-ubyte", "train-labels-idx1-ubyte"},
                               {"t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}};
    for (int k = 0; k < 2; k++) {
        snprintf(p, sizeof p, "%s/%s", data, names[k][0]);
        ck_assert_int_eq(nn_idx_write(p, 3, d3, px), 0);
        snprintf(p, sizeof p, "%s/%s", data, names[k][1]);
        ck_assert_int_eq(nn_idx_write(p, 1, d1, lb), 0);
    }
    free(px);
}

static void setup(void)
{
    nn_test_tmpdir(dir, sizeof dir);
    snprintf(data, sizeof data, "%s/mnist", dir);
    ck_assert_int_eq(mkdir(data, 0755), 0);
    good_mnist();
    snprintf(keep, sizeof keep, "%s/keep.json", dir);
    nn_test_write(keep, KEEP, sizeof KEEP - 1);
    setenv("NNLAB_DATA_DIR", dir, 1);
}

static void teardown(void)
{
    unsetenv("NNLAB_DATA_DIR");
    nn_test_rmdir(dir);
}

static void write_at(const char *name, const void *bytes, size_t n)
{
    char p[900];
    snprintf(p, sizeof p, "%s/%s", data, name);
    unlink(p);
    nn_test_write(p, bytes, n);
}

/* the program run with the process's address space limited to kb KiB (ulimit -v), or unlimited (kb 0) */
static void expect_limited(int want_rc, const char *needle, long kb, const char *args)
{
    char cmd[4096], limit[64] = "";
    if (kb > 0) snprintf(limit, sizeof limit, "ulimit -v %ld && ", kb);
    snprintf(cmd, sizeof cmd, "cd %s && (%sexec %s/%s --out %s)", NN_ROOT, limit, NN_BIN, args, keep);
    int rc = nn_test_run(cmd, out, sizeof out);
    ck_assert_msg(rc == want_rc, "'%s' (%s) exited %d, expected %d:\n%s", args, kb > 0 ? limit : "no memory limit", rc,
                  want_rc, out);
    ck_assert_msg(strstr(out, needle) != NULL, "'%s': message does not contain '%s':\n%s", args, needle, out);
    char *t = NULL;
    ck_assert_int_eq(nn_read_file(keep, 1 << 20, &t, NULL), 0);
    ck_assert_msg(strcmp(t, KEEP) == 0, "'%s' changed the existing results file", args);
    free(t);
}

static void expect(int want_rc, const char *needle, const char *args) { expect_limited(want_rc, needle, 0, args); }

#define TRAIN "nntrain --data mnist --hidden 8 --epochs 1"

/* ---- data files -------------------------------------------------------------------------- */

START_TEST(idx_wrong_magic)
{
    uint8_t b[16] = {0x12, 0x34, 0x08, 0x03, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 28};
    write_at("train-images-idx3-ubyte", b, sizeof b);
    expect(1, "train-images-idx3-ubyte' has magic 0x12340803", TRAIN);
}
END_TEST

START_TEST(idx_wrong_dimensions)
{
    uint8_t b[12] = {0, 0, 0x08, 0x01, 0, 0, 0, 4, 1, 2, 3, 4}; /* a labels file where images belong */
    write_at("train-images-idx3-ubyte", b, sizeof b);
    expect(1, "expected 0x00000803 (unsigned bytes, 3 dimensions)", TRAIN);
}
END_TEST

START_TEST(idx_truncated_payload)
{
    uint8_t b[16 + 100] = {0, 0, 0x08, 0x03, 0, 0, 0, 40, 0, 0, 0, 28, 0, 0, 0, 28};
    write_at("train-images-idx3-ubyte", b, sizeof b);
    expect(1, "is truncated: 100 of 31360 payload bytes", TRAIN);
}
END_TEST

START_TEST(idx_count_mismatch)
{
    uint8_t b[8 + 39] = {0, 0, 0x08, 0x01, 0, 0, 0, 39};
    write_at("train-labels-idx1-ubyte", b, sizeof b);
    expect(1, "holds 40 images but", TRAIN);
}
END_TEST

START_TEST(idx_not_gzip)
{
    char p[900], q[900];
    snprintf(p, sizeof p, "%s/train-images-idx3-ubyte", data);
    snprintf(q, sizeof q, "%s/train-images-idx3-ubyte.gz", data);
    ck_assert_int_eq(rename(p, q), 0); /* plain bytes under a .gz name */
    expect(1, "ends in .gz but is not gzip data", TRAIN);
}
END_TEST

START_TEST(idx_empty_file)
{
    write_at("t10k-labels-idx1-ubyte", "", 0);
    expect(1, "t10k-labels-idx1-ubyte' is empty", TRAIN);
}
END_TEST

START_TEST(idx_directory)
{
    char p[900];
    snprintf(p, sizeof p, "%s/t10k-images-idx3-ubyte", data);
    unlink(p);
    ck_assert_int_eq(mkdir(p, 0755), 0);
    expect(1, "t10k-images-idx3-ubyte' is a directory", TRAIN);
}
END_TEST

START_TEST(idx_unreadable)
{
    /* root reads anything, so the program runs as user nobody against a 0600 file */
    char p[900], cmd[4096];
    snprintf(p, sizeof p, "%s/train-labels-idx1-ubyte", data);
    ck_assert_int_eq(chmod(p, 0600), 0);
    if (geteuid() != 0) { /* an ordinary user: the same file is simply not ours to read if we drop perms */
        ck_assert_int_eq(chmod(p, 0000), 0);
        expect(1, "Permission denied", TRAIN);
        return;
    }
    chmod(dir, 0755);
    snprintf(cmd, sizeof cmd,
             "cd %s && setpriv --reuid=65534 --regid=65534 --clear-groups env NNLAB_DATA_DIR=%s %s/" TRAIN
             " --out %s/nobody.json",
             NN_ROOT, dir, NN_BIN, dir);
    int rc = nn_test_run(cmd, out, sizeof out);
    ck_assert_msg(rc == 1 && strstr(out, "train-labels-idx1-ubyte") && strstr(out, "Permission denied"), "rc %d:\n%s", rc, out);
}
END_TEST

START_TEST(idx_trailing_bytes)
{
    uint8_t b[8 + 41] = {0, 0, 0x08, 0x01, 0, 0, 0, 40};
    write_at("t10k-labels-idx1-ubyte", b, sizeof b);
    expect(1, "has data after the declared 40 payload bytes", TRAIN);
}
END_TEST

START_TEST(idx_label_out_of_range)
{
    uint8_t b[8 + 40] = {0, 0, 0x08, 0x01, 0, 0, 0, 40};
    b[8 + 5] = 12;
    write_at("train-labels-idx1-ubyte", b, sizeof b);
    expect(1, "label 12 of sample 5 is out of range", TRAIN);
}
END_TEST

START_TEST(idx_gzip_cut_short)
{
    char p[900];
    snprintf(p, sizeof p, "%s/train-images-idx3-ubyte", data);
    unlink(p);
    uint8_t *px = pixels(40);
    uint32_t d3[3] = {40, 28, 28};
    snprintf(p, sizeof p, "%s/train-images-idx3-ubyte.gz", data);
    ck_assert_int_eq(nn_idx_write(p, 3, d3, px), 0);
    free(px);
    ck_assert_int_eq(truncate(p, 200), 0);
    expect(1, "train-images-idx3-ubyte.gz", TRAIN);
}
END_TEST

START_TEST(data_test_images_other_size)
{
    /* 28 × 28 training images with 4 × 4 test images: refused before a first layer reads past each test row */
    char p[900];
    uint8_t px[40 * 16] = {0}, lb[40];
    for (int i = 0; i < 40; i++) lb[i] = (uint8_t)(i % 10);
    uint32_t d3[3] = {40, 4, 4}, d1[1] = {40};
    snprintf(p, sizeof p, "%s/t10k-images-idx3-ubyte", data);
    unlink(p);
    ck_assert_int_eq(nn_idx_write(p, 3, d3, px), 0);
    snprintf(p, sizeof p, "%s/t10k-labels-idx1-ubyte", data);
    unlink(p);
    ck_assert_int_eq(nn_idx_write(p, 1, d1, lb), 0);
    expect(1, "the test images have 16 pixels each, the training images 784", TRAIN);
}
END_TEST

START_TEST(data_classes_missing_for_transfer)
{
    /* the first five training images hold classes 0-4 only: pretraining's transfer task has no target images */
    expect(2, "the target training (classes 5–9) set is empty", "pretraining --quick --n_train 5");
}
END_TEST

START_TEST(heads_beyond_the_hidden_layers)
{
    /* found by the settings fuzzer in CI: both programs went on with a NULL net (a null-pointer read) */
    expect(2, "'heads' attaches a head to hidden layer 64, but 'hidden' has 2 layers",
           "regularization --quick --bias_scale -1e+06 --heads 64,1");
    expect(2, "'heads' attaches a head to hidden layer 25, but 'hidden' has 6 layers",
           "init --quick --optimizer adam --heads 25,2,53,4 --og_scale 1000");
    /* within the configured layers, but beyond a net the experiment builds on its way (its depth sweep) */
    expect(2, "init: a head is attached to hidden layer 2, but the net has hidden layers 1..1", "init --quick --heads 2");
}
END_TEST

/* part (b)'s layers are checked at start-up, with a true count: the list holds no layer with parameters before the
 * output (it was refused after part (a) had trained, saying "1 layers") */
START_TEST(transfer_k_beyond_the_layers)
{
    expect(2, "'transfer_k' = 2, but 'transfer_layers' has 0 layers with parameters (conv, dense) before the output layer",
           "pretraining --quick --transfer_layers '[{\"act\": \"relu\"}]' --transfer_k 2");
    ck_assert_msg(!strstr(out, "(a) "), "part (a) trained before the refusal:\n%s", out);
}
END_TEST

/* a feature-map image beyond the test set: a setting error (exit 2) before anything trains, and no leak under the
 * sanitizers (it exited 1 after training and leaked 2,150 bytes) */
START_TEST(feature_image_beyond_the_test_set)
{
    expect(2, "'feature_image' = 1000000, but the test set of mnist has 40 images (0 to 39)",
           "cnn --quick --data mnist --feature_image 1000000");
    ck_assert_msg(!strstr(out, "seed 1"), "a net trained before the refusal:\n%s", out);
}
END_TEST

START_TEST(data_unknown_name)
{
    expect(2, "'data' = 'cifar' is not one of: mnist, fashion, spirals, blobs", "nntrain --data cifar");
}
END_TEST

/* ---- config files ------------------------------------------------------------------------ */

static const char *cfg(const char *text)
{
    static char p[900];
    snprintf(p, sizeof p, "%s/c.json", dir);
    nn_test_write(p, text, strlen(text));
    return p;
}

static void expect_cfg(const char *program, const char *text, const char *needle)
{
    char args[1200];
    snprintf(args, sizeof args, "%s --config %s", program, cfg(text));
    expect(2, needle, args);
}

START_TEST(cfg_not_json) { expect_cfg("depth", "{\"seeds\": 2,, }", "is not valid JSON (error near line 1)"); }
END_TEST
START_TEST(cfg_trailing_value)
{
    expect_cfg("depth", "{\"lr\": 0.5},\n \"epochs\": 3}", "has something after its JSON object (line 1)");
}
END_TEST
START_TEST(cfg_two_objects)
{
    expect_cfg("depth", "{\"lr\": 0.5}\n{\"epochs\": 3}", "has something after its JSON object (line 2)");
}
END_TEST

/* a full copy of depth's defaults without a "quick" block, run with --quick: the quick profile would not apply at
 * all and the run would be the defaults labelled "quick" */
START_TEST(cfg_quick_without_block)
{
    char args[1200];
    const char *copy = "{\"seeds\": 3, \"epochs\": 30, \"n_train\": 0, \"n_test\": 0, \"lr\": 0.1}";
    snprintf(args, sizeof args, "depth --quick --config %s", cfg(copy));
    expect(2, "has no \"quick\" block and sets every key of the quick profile in experiments/depth.json", args);
}
END_TEST

/* a data folder whose path would be cut short in the library's buffers (it would name another folder) */
START_TEST(data_dir_path_too_long)
{
    char longdir[1200];
    memset(longdir, 'd', 1100), longdir[0] = '/', longdir[1100] = '\0';
    setenv("NNLAB_DATA_DIR", longdir, 1);
    expect(1, "the data folder's path is longer than 1024 characters", TRAIN);
}
END_TEST

START_TEST(cfg_unknown_key) { expect_cfg("depth", "{\"lerning_rate\": 0.1}", "unknown key 'lerning_rate'"); }
END_TEST
START_TEST(cfg_wrong_type) { expect_cfg("depth", "{\"lr\": \"fast\"}", "'lr' must be a number"); }
END_TEST
START_TEST(cfg_negative_size) { expect_cfg("depth", "{\"hidden\": [30, -5]}", "'hidden' = -5 is out of range"); }
END_TEST
START_TEST(cfg_zero_batch) { expect_cfg("batchnorm", "{\"batch\": 0}", "'batch' = 0 is out of range"); }
END_TEST
START_TEST(cfg_lr_zero) { expect_cfg("momentum", "{\"lr\": 0}", "'lr' = 0 is out of range"); }
END_TEST
START_TEST(cfg_lr_huge) { expect_cfg("momentum", "{\"lr\": 1e308}", "'lr' = 1e+308 is out of range"); }
END_TEST
/* cJSON keeps strings as C strings: "spirals\u0000cifar" would be read as "spirals" */
START_TEST(cfg_nul_in_string)
{
    expect_cfg("nntrain", "{\"data\": \"spirals\\u0000cifar\"}", "has a string holding \\u0000 (line 1)");
}
END_TEST
/* the range of an integer setting is printed in full, not as 2.14748e+09 */
START_TEST(flag_seed_too_large) { expect(2, "'seed' = 2147483648 is out of range [0, 2147483647]", "nntrain --seed 2147483648"); }
END_TEST
START_TEST(cfg_lr_nan) { expect_cfg("momentum", "{\"lr\": NaN}", "is not valid JSON"); }
END_TEST
START_TEST(cfg_empty_layer_list) { expect_cfg("depth", "{\"depths\": []}", "'depths' must have 1 to 65 elements, got 0"); }
END_TEST
START_TEST(cfg_bad_activation) { expect_cfg("init", "{\"activations\": [\"swish\"]}", "'activations' = 'swish' is not one of"); }
END_TEST
START_TEST(cfg_bad_init_scheme) { expect_cfg("init", "{\"schemes\": [\"xavier\"]}", "unknown init scheme 'xavier'"); }
END_TEST
START_TEST(cfg_profile_not_object) { expect_cfg("saturation", "{\"quick\": [1, 2]}", "'quick' must be an object of settings"); }
END_TEST
START_TEST(cfg_is_directory)
{
    char args[1200];
    snprintf(args, sizeof args, "depth --config %s", dir);
    expect(2, "is a directory, expected a file", args);
}
END_TEST
START_TEST(cfg_missing)
{
    expect(2, "cannot open '/nonexistent/depth.json'", "depth --config /nonexistent/depth.json");
}
END_TEST

/* ---- flags ---------------------------------------------------------------------------------- */

START_TEST(flag_missing_value) { expect(2, "flag --epochs needs a value", "depth --epochs"); }
END_TEST
START_TEST(flag_malformed_number) { expect(2, "'lr' must be a number, got '0.1.2'", "depth --lr 0.1.2"); }
END_TEST
START_TEST(flag_nan) { expect(2, "'lr' must be a finite number", "depth --lr nan"); }
END_TEST
START_TEST(flag_unknown) { expect(2, "unknown flag -- 'lernrate'", "depth --lernrate 0.1"); }
END_TEST
START_TEST(flag_bad_list) { expect(2, "--hidden has an empty element in '30,,30'", "depth --hidden 30,,30"); }
END_TEST
START_TEST(flag_threads_zero) { expect(2, "--threads must be an integer from 1 to 256, got '0'", "depth --threads 0"); }
END_TEST
START_TEST(flag_quick_and_full) { expect(2, "--quick and --full exclude each other", "depth --quick --full"); }
END_TEST
START_TEST(flag_stray_argument) { expect(2, "unexpected argument 'fast'", "depth fast"); }
END_TEST
START_TEST(flag_bool) { expect(2, "--batchnorm must be true or false, got 'yes'", "depth --batchnorm yes"); }
END_TEST

/* ---- arms: a setting an arm would silently override, or cannot carry, is refused --------------- */

START_TEST(arm_flag_overridden)
{
    expect(2, "--activation would be ignored by arm 'relu_he', which sets activation = \"relu\"", "depth --activation tanh");
}
END_TEST
START_TEST(arm_per_run_key)
{
    expect_cfg("depth", "{\"arms\": {\"x\": {\"seeds\": 2}}}", "'seeds' is shared by all arms and cannot be set per arm");
}
END_TEST
START_TEST(arm_refused_key)
{
    expect_cfg("pretraining", "{\"arms\": {\"x\": {\"epochs\": 3}}}", "'epochs' cannot be set by an arm: the stages take");
}
END_TEST
START_TEST(arm_unknown_selected)
{
    expect(2, "--arms: no arm 'nosuch' (the config defines: plain, relu_he, batchnorm, linear)", "depth --arms nosuch");
}
END_TEST
START_TEST(arm_in_armless_program)
{
    expect_cfg("saturation", "{\"arms\": {\"x\": {}}}", "defines arms, but saturation compares no arms");
}
END_TEST

/* ---- the output path ------------------------------------------------------------------------ */

START_TEST(out_dir_missing)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cd %s && %s/nntrain --data spirals --epochs 1 --out %s/no/such/dir/r.json", NN_ROOT, NN_BIN, dir);
    int rc = nn_test_run(cmd, out, sizeof out);
    ck_assert_msg(rc == 1 && strstr(out, "no/such/dir/r.json") && strstr(out, "No such file or directory"), "rc %d:\n%s", rc,
                  out);
}
END_TEST

START_TEST(out_is_directory)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cd %s && %s/nntrain --data spirals --epochs 1 --out %s", NN_ROOT, NN_BIN, dir);
    int rc = nn_test_run(cmd, out, sizeof out);
    ck_assert_msg(rc == 1 && strstr(out, "cannot write") && strstr(out, "Is a directory"), "rc %d:\n%s", rc, out);
}
END_TEST

START_TEST(out_not_writable)
{
    /* a directory the program may not write into (as user nobody when we are root) */
    char ro[700], cmd[4096];
    snprintf(ro, sizeof ro, "%s/ro", dir);
    ck_assert_int_eq(mkdir(ro, 0755), 0);
    chmod(dir, 0755);
    if (geteuid() == 0)
        snprintf(
            cmd, sizeof cmd,
            "cd %s && setpriv --reuid=65534 --regid=65534 --clear-groups %s/nntrain --data spirals --epochs 1 --out %s/r.json",
            NN_ROOT, NN_BIN, ro);
    else {
        chmod(ro, 0555);
        snprintf(cmd, sizeof cmd, "cd %s && %s/nntrain --data spirals --epochs 1 --out %s/r.json", NN_ROOT, NN_BIN, ro);
    }
    int rc = nn_test_run(cmd, out, sizeof out);
    ck_assert_msg(rc == 1 && strstr(out, "ro/r.json") && strstr(out, "Permission denied"), "rc %d:\n%s", rc, out);
}
END_TEST

/* ---- memory ---------------------------------------------------------------------------------- */

/* widths in range whose weights need 186 GiB: a message naming the layer, before any allocation */
START_TEST(oom_huge_widths)
{
    expect(2, "this network needs about 186 GiB of memory", "nntrain --data spirals --hidden 100000,100000 --epochs 1");
    ck_assert_msg(strstr(out, "hidden2.dense with 100000 units from 100000 inputs"), "%s", out);
}
END_TEST

/* a 150 KB gzip holding 200,000 valid images (600 MiB as floats), with 500 MiB of address space */
START_TEST(oom_gzip_bomb)
{
    if (getenv("NNLAB_BIN_SANITIZED")) return; /* AddressSanitizer reserves terabytes of address space */
    int n = 200000;
    uint8_t *px = calloc((size_t)n * 784, 1), *lb = calloc((size_t)n, 1);
    uint32_t d3[3] = {(uint32_t)n, 28, 28}, d1[1] = {(uint32_t)n};
    char p[900];
    snprintf(p, sizeof p, "%s/train-images-idx3-ubyte", data), unlink(p);
    snprintf(p, sizeof p, "%s/train-labels-idx1-ubyte", data), unlink(p);
    snprintf(p, sizeof p, "%s/train-images-idx3-ubyte.gz", data);
    ck_assert_int_eq(nn_idx_write(p, 3, d3, px), 0);
    snprintf(p, sizeof p, "%s/train-labels-idx1-ubyte.gz", data);
    ck_assert_int_eq(nn_idx_write(p, 1, d1, lb), 0);
    free(px), free(lb);
    expect_limited(1, "holds 200000 images of 784 pixels", 500000, TRAIN " --n_train 10");
    ck_assert_msg(strstr(out, "ulimit -v"), "%s", out);
}
END_TEST

/* more BLAS threads than the address space allows: OpenBLAS would spin for ever */
START_TEST(oom_threads_under_limit)
{
    if (getenv("NNLAB_BIN_SANITIZED")) return;
    expect_limited(2, "--threads 8 needs about 1.27 GiB of address space", 1000000,
                   "nntrain --data spirals --epochs 1 --threads 8");
    ck_assert_msg(strstr(out, "use --threads 5 or fewer"), "%s", out);
}
END_TEST

/* --out at a symbolic link updates the file it points to and keeps the link; at a device it is refused and the
 * device left alone; a 250-character file name works (the temporary name is short); a full stdout is an error */
START_TEST(out_link_device_long_name_full_stdout)
{
    char cmd[4096], link[800], target[800], name[300];
    snprintf(target, sizeof target, "%s/target.json", dir);
    snprintf(link, sizeof link, "%s/link.json", dir);
    nn_test_write(target, KEEP, sizeof KEEP - 1);
    ck_assert_int_eq(symlink("target.json", link), 0);
    snprintf(cmd, sizeof cmd, "cd %s && %s/nntrain --data spirals --epochs 1 --out %s", NN_ROOT, NN_BIN, link);
    int rc = nn_test_run(cmd, out, sizeof out);
    ck_assert_msg(rc == 0, "rc %d:\n%s", rc, out);
    struct stat st;
    ck_assert_int_eq(lstat(link, &st), 0);
    ck_assert_msg(S_ISLNK(st.st_mode), "the link was replaced by a file");
    char *t = NULL;
    ck_assert_int_eq(nn_read_file(target, 1 << 24, &t, NULL), 0);
    ck_assert_msg(strstr(t, "\"experiment\"") != NULL, "the link's target was not updated");
    free(t);
    snprintf(cmd, sizeof cmd, "cd %s && %s/nntrain --data spirals --epochs 1 --out /dev/null", NN_ROOT, NN_BIN);
    rc = nn_test_run(cmd, out, sizeof out);
    ck_assert_msg(rc == 1 && strstr(out, "not a regular file"), "rc %d:\n%s", rc, out);
    ck_assert_int_eq(stat("/dev/null", &st), 0);
    ck_assert(S_ISCHR(st.st_mode));
    memset(name, 'n', 245), name[245] = '\0';
    snprintf(cmd, sizeof cmd, "cd %s && %s/nntrain --data spirals --epochs 1 --out %s/%s.json", NN_ROOT, NN_BIN, dir, name);
    rc = nn_test_run(cmd, out, sizeof out);
    ck_assert_msg(rc == 0, "a 250-character file name: rc %d:\n%s", rc, out);
    snprintf(cmd, sizeof cmd, "cd %s && (%s/mechanics --quick --batch 4 --out %s/m.json > /dev/full)", NN_ROOT, NN_BIN, dir);
    rc = nn_test_run(cmd, out, sizeof out);
    ck_assert_msg(rc == 1 && strstr(out, "cannot write the verdict summary to standard output"), "rc %d:\n%s", rc, out);
    snprintf(cmd, sizeof cmd, "ls -a %s | grep -c nnlab-tmp", dir);
    nn_test_run(cmd, out, sizeof out);
    ck_assert_int_eq(atoi(out), 0);
}
END_TEST

Suite *suite_catalogue(void)
{
    Suite *s = suite_create("catalogue");
    TCase *tc = tcase_create("bad input");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    const TTest *const cases[] = {idx_wrong_magic,
                                  idx_wrong_dimensions,
                                  idx_truncated_payload,
                                  idx_count_mismatch,
                                  idx_not_gzip,
                                  idx_empty_file,
                                  idx_directory,
                                  idx_unreadable,
                                  idx_trailing_bytes,
                                  idx_label_out_of_range,
                                  idx_gzip_cut_short,
                                  data_unknown_name,
                                  transfer_k_beyond_the_layers,
                                  feature_image_beyond_the_test_set,
                                  data_test_images_other_size,
                                  data_classes_missing_for_transfer,
                                  heads_beyond_the_hidden_layers,
                                  cfg_not_json,
                                  cfg_trailing_value,
                                  cfg_two_objects,
                                  cfg_unknown_key,
                                  cfg_wrong_type,
                                  cfg_negative_size,
                                  cfg_zero_batch,
                                  cfg_lr_zero,
                                  cfg_lr_huge,
                                  cfg_lr_nan,
                                  cfg_nul_in_string,
                                  flag_seed_too_large,
                                  cfg_empty_layer_list,
                                  cfg_bad_activation,
                                  cfg_bad_init_scheme,
                                  cfg_profile_not_object,
                                  cfg_is_directory,
                                  cfg_missing,
                                  flag_missing_value,
                                  flag_malformed_number,
                                  flag_nan,
                                  flag_unknown,
                                  flag_bad_list,
                                  flag_threads_zero,
                                  flag_quick_and_full,
                                  flag_stray_argument,
                                  flag_bool,
                                  out_dir_missing,
                                  out_is_directory,
                                  out_not_writable,
                                  arm_flag_overridden,
                                  arm_per_run_key,
                                  arm_refused_key,
                                  arm_unknown_selected,
                                  arm_in_armless_program,
                                  out_link_device_long_name_full_stdout,
                                  oom_huge_widths,
                                  oom_gzip_bomb,
                                  oom_threads_under_limit,
                                  cfg_quick_without_block,
                                  data_dir_path_too_long};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) _tcase_add_test(tc, cases[i], 0, 0, 0, 1);
    suite_add_tcase(s, tc);
    return s;
}
