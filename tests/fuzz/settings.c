/* settings.c — the settings fuzzer: every program, run with random in-range settings.
 *
 *   build/fuzz/settings --bin DIR --seconds N [--seed S] [--timeout T] [--log FILE] [--shard K/N] [PROGRAM ...]
 *
 * --shard K/N takes every N-th program from the K-th (0-based): N processes side by side share the
 * programs (make test runs two, one per core).
 *
 * For each program (default: every experiment and nntrain) it reads the settings, their types,
 * ranges and choices from `PROGRAM --quick --settings-json`, then runs the program in its quick
 * profile with settings drawn from those ranges, on a small data set it writes itself (digits
 * of class-dependent strokes, MNIST layout). First the corner cases, every one on every program
 * that has the keys (batch 1, n_train 1, a last mini-batch of one sample, one test sample, data
 * of a single class, each count at its smallest, one seed); then random draws until N seconds
 * have passed: one to three settings each, a third of the numbers at a corner of their range
 * (smallest, largest, next to smallest), the rest drawn towards small values; a program with declared
 * layers (`layers`, `transfer_layers`) gets a drawn list of one to five entries of every kind the
 * builder knows (conv, pool, avgpool, dense, act, batchnorm, maxout, dropout, head) in a third of its runs, and
 * a program with arms runs one of them alone in a third.
 *
 * A run fails when it
 *   - exits with a status other than 0, 1 or 2, or is killed by a signal other than the timeout's,
 *   - prints a sanitizer report (AddressSanitizer, LeakSanitizer, "runtime error:"),
 *   - exits non-zero and the results file that was at --out is no longer what it was, or
 *   - exits 0 and leaves no complete JSON document at --out.
 * A run that outlives --timeout seconds (the largest counts can ask for hours) is stopped and
 * counted, not failed. Each failing command line is printed and written to the log; the exit
 * status is 1 when anything failed. Run it against the sanitizer build (build/sanbin/). */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "nnlab.h"

static const char *DEFAULT_PROGRAMS[] = {
    "nntrain", "activations", "batchnorm", "cnn", "critiques", "deep_supervision", "depth", "exploding",
    "fitnets", "init", "mechanics", "momentum", "normalization", "pretraining", "probabilistic",
    "regularization", "residual", "saturation", "skips", "vanishing", NULL};

static const char OLD[] = "{\"previous\": \"results\"}\n";

typedef struct {
    char name[64];
    cJSON *doc; /* the --settings-json document */
} program;

static char work[512], bindir[1024], logpath[1024];
static FILE *logfp;
static int timeout_s = 30;
static long n_runs, n_fail, n_timeout, n_exit[3];

static void die(const char *fmt, const char *a)
{
    fprintf(stderr, "settings-fuzz: ");
    fprintf(stderr, fmt, a);
    fputc('\n', stderr);
    exit(2);
}

/* a small MNIST-layout set: n images of class-dependent strokes with noise; classes 0..k-1 */
static void write_digits(const char *dir, const char *img, const char *lab, int n, int k, uint64_t seed)
{
    nn_rng r;
    nn_rng_seed(&r, seed);
    uint8_t *px = nn_calloc((size_t)n * 784, 1), *lb = nn_calloc((size_t)n, 1);
    for (int i = 0; i < n; i++) {
        int c = i % k;
        lb[i] = (uint8_t)c;
        uint8_t *im = px + (size_t)i * 784;
        for (int p = 0; p < 784; p++) im[p] = (uint8_t)(nn_rng_uniform(&r) < 0.05 ? nn_rng_below(&r, 120) : 0);
        for (int p = 4; p < 24; p++) im[(3 + 2 * c) * 28 + p] = (uint8_t)(180 + nn_rng_below(&r, 75));
        for (int p = 4; p < 24; p++) im[p * 28 + 24 - 2 * c] = (uint8_t)(150 + nn_rng_below(&r, 100));
    }
    char a[1200], b[1200];
    uint32_t d3[3] = {(uint32_t)n, 28, 28}, d1[1] = {(uint32_t)n};
    snprintf(a, sizeof a, "%s/%s", dir, img);
    snprintf(b, sizeof b, "%s/%s", dir, lab);
    if (nn_idx_write(a, 3, d3, px) || nn_idx_write(b, 1, d1, lb)) die("cannot write the data: %s", nn_error());
    free(px), free(lb);
}

/* <work>/data/mnist (10 classes) and <work>/one/mnist (a single class) */
static void make_data(void)
{
    const char *sets[2] = {"data", "one"};
    for (int s = 0; s < 2; s++) {
        char d[700];
        snprintf(d, sizeof d, "%s/%s", work, sets[s]);
        mkdir(d, 0755);
        snprintf(d, sizeof d, "%s/%s/mnist", work, sets[s]);
        mkdir(d, 0755);
        write_digits(d, "train-images-idx3-ubyte", "train-labels-idx1-ubyte", 600, s ? 1 : 10, 1);
        write_digits(d, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 200, s ? 1 : 10, 2);
    }
}

/* ---- running one command line ------------------------------------------------------------ */

typedef struct {
    char *argv[64];
    int argc;
    char store[64][1024];
    int data_one; /* use the single-class data */
} cmdline;

static void arg(cmdline *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void arg(cmdline *c, const char *fmt, ...)
{
    if (c->argc >= 62) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->store[c->argc], sizeof c->store[c->argc], fmt, ap);
    va_end(ap);
    c->argv[c->argc] = c->store[c->argc];
    c->argc++;
    c->argv[c->argc] = NULL;
}

static int file_is(const char *path, const char *text)
{
    char *t = NULL;
    if (nn_read_file(path, 1 << 20, &t, NULL) != 0) return 0;
    int same = strcmp(t, text) == 0;
    free(t);
    return same;
}

static void show(FILE *f, const cmdline *c)
{
    fprintf(f, "%s", c->data_one ? "NNLAB_DATA_DIR=<single class> " : "");
    for (int i = 0; i < c->argc; i++) fprintf(f, "%s%s", i ? " " : "", c->argv[i]);
    fputc('\n', f);
}

static void fail(const cmdline *c, const char *why, const char *errpath)
{
    n_fail++;
    FILE *outs[2] = {stderr, logfp};
    for (int k = 0; k < 2; k++) {
        if (!outs[k]) continue;
        fprintf(outs[k], "FAIL (%s): ", why);
        show(outs[k], c);
        char *t = NULL;
        if (nn_read_file(errpath, 1 << 20, &t, NULL) == 0) {
            size_t n = strlen(t);
            fprintf(outs[k], "%s\n", n > 3000 ? t + n - 3000 : t);
        }
        free(t);
    }
}

static void run(cmdline *c)
{
    char outp[700], errp[700];
    snprintf(outp, sizeof outp, "%s/out.json", work);
    snprintf(errp, sizeof errp, "%s/stderr.txt", work);
    if (nn_write_file_atomic(outp, OLD, sizeof OLD - 1) != 0) die("cannot write %s", outp);
    arg(c, "--out");
    arg(c, "%s", outp);
    n_runs++;
    pid_t pid = fork();
    if (pid < 0) die("fork failed%s", "");
    if (pid == 0) {
        char env[700];
        snprintf(env, sizeof env, "%s/%s", work, c->data_one ? "one" : "data");
        setenv("NNLAB_DATA_DIR", env, 1);
        snprintf(env, sizeof env, "%s/%s/mnist", work, c->data_one ? "one" : "data");
        setenv("NNLAB_FASHION_DIR", env, 1);
        if (!freopen("/dev/null", "w", stdout) || !freopen(errp, "w", stderr)) _exit(126);
        execv(c->argv[0], c->argv);
        _exit(127);
    }
    int st = 0;
    double t0 = nn_wall_seconds();
    for (;;) {
        pid_t w = waitpid(pid, &st, WNOHANG);
        if (w == pid) break;
        if (nn_wall_seconds() - t0 > timeout_s) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            n_timeout++;
            if (logfp) {
                fprintf(logfp, "timeout (%d s, not a failure): ", timeout_s);
                show(logfp, c);
            }
            return;
        }
        usleep(20000);
    }
    char *err = NULL;
    nn_read_file(errp, 1 << 24, &err, NULL);
    const char *e = err ? err : "";
    if (strstr(e, "AddressSanitizer") || strstr(e, "LeakSanitizer") || strstr(e, "runtime error:"))
        fail(c, "sanitizer report", errp);
    else if (WIFSIGNALED(st)) {
        char why[64];
        snprintf(why, sizeof why, "killed by signal %d", WTERMSIG(st));
        fail(c, why, errp);
    } else if (WEXITSTATUS(st) > 2) {
        char why[64];
        snprintf(why, sizeof why, "exit %d", WEXITSTATUS(st));
        fail(c, why, errp);
    } else if (WEXITSTATUS(st) != 0 && !file_is(outp, OLD)) {
        fail(c, "a failed run changed the results file", errp);
    } else if (WEXITSTATUS(st) == 0) {
        n_exit[0]++;
        char *t = NULL;
        cJSON *doc = nn_read_file(outp, 1 << 28, &t, NULL) == 0 ? nn_json_parse(t) : NULL;
        if (!doc || !cJSON_GetObjectItem(doc, "experiment") || !cJSON_GetObjectItem(doc, "wall_seconds"))
            fail(c, "exit 0 without a complete results document", errp);
        cJSON_Delete(doc);
        free(t);
    } else {
        n_exit[WEXITSTATUS(st)]++;
    }
    free(err);
    c->argc -= 2;
    c->argv[c->argc] = NULL;
}

/* ---- drawing settings ------------------------------------------------------------------- */

static const cJSON *setting(const program *p, const char *key)
{
    const cJSON *s;
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(p->doc, "settings"))
    if (!strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(s, "key")), key)) return s;
    return NULL;
}

static int is_int(const cJSON *s)
{
    const char *t = cJSON_GetStringValue(cJSON_GetObjectItem(s, "type"));
    return !strcmp(t, "int") || !strcmp(t, "int_list");
}

/* one number of setting s: a third of the time a corner of the range, else towards small values */
static void draw_number(const cJSON *s, nn_rng *r, char *buf, size_t n)
{
    double lo = cJSON_GetObjectItem(s, "min")->valuedouble, hi = cJSON_GetObjectItem(s, "max")->valuedouble, v;
    unsigned u = nn_rng_below(r, 9);
    if (u == 0) v = lo;
    else if (u == 1) v = hi;
    else if (u == 2) v = is_int(s) ? fmin(lo + 1, hi) : lo + (hi - lo) * 1e-6;
    else if (lo > 0) v = exp(log(lo) + nn_rng_uniform(r) * (log(fmin(hi, lo * 1e4)) - log(lo))); /* log-uniform, small end */
    else v = lo + nn_rng_uniform(r) * fmin(hi - lo, is_int(s) ? 40 : 1);
    if (v > hi) v = hi;
    if (is_int(s)) snprintf(buf, n, "%.0f", floor(v));
    else snprintf(buf, n, "%.6g", v);
}

/* A declared layer list (lab/nn_arch.h) of one to five entries, every kind the builder knows, with sizes kept small
 * and now and then one the builder must refuse (a kernel larger than the image, a dense layer before a conv). */
static void draw_layers(nn_rng *r, char *buf, size_t n)
{
    int used = snprintf(buf, n, "[");
    const int k = 1 + (int)nn_rng_below(r, 5);
    for (int i = 0; i < k && used < (int)n - 200; i++) {
        const char *sep = i ? ", " : "";
        switch (nn_rng_below(r, 9)) {
        case 0:
            used += snprintf(buf + used, n - (size_t)used, "%s{\"conv\": %u, \"kernel\": %u, \"stride\": %u, \"pad\": %u}", sep,
                             1 + nn_rng_below(r, 6), 1 + nn_rng_below(r, 7), 1 + nn_rng_below(r, 3), nn_rng_below(r, 3));
            break;
        case 1: /* max or average pooling */
            used += snprintf(buf + used, n - (size_t)used, "%s{\"%s\": %u}", sep, nn_rng_below(r, 2) ? "pool" : "avgpool",
                             1 + nn_rng_below(r, 4));
            break;
        case 2: used += snprintf(buf + used, n - (size_t)used, "%s{\"dense\": %u}", sep, 1 + nn_rng_below(r, 24)); break;
        case 3: {
            int a = 0;
            while (nn_act_names[a]) a++;
            used +=
                snprintf(buf + used, n - (size_t)used, "%s{\"act\": \"%s\"}", sep, nn_act_names[nn_rng_below(r, (unsigned)a)]);
            break;
        }
        case 4:
            used += snprintf(buf + used, n - (size_t)used, "%s{\"batchnorm\": true, \"affine\": %s, \"through_stats\": %s}", sep,
                             nn_rng_below(r, 2) ? "true" : "false", nn_rng_below(r, 2) ? "true" : "false");
            break;
        case 5: used += snprintf(buf + used, n - (size_t)used, "%s{\"maxout\": %u}", sep, 1 + nn_rng_below(r, 4)); break;
        case 6: used += snprintf(buf + used, n - (size_t)used, "%s{\"dropout\": %.3g}", sep, 0.95 * nn_rng_uniform(r)); break;
        case 7:
            used += snprintf(buf + used, n - (size_t)used, "%s{\"head\": [{\"dense\": %u}], \"alpha\": %.3g}", sep,
                             1 + nn_rng_below(r, 8), nn_rng_uniform(r));
            break;
        default:
            used += snprintf(buf + used, n - (size_t)used, "%s{\"act\": \"relu\"}", sep);
            break;
        }
    }
    snprintf(buf + used, n - (size_t)used, "]");
}

/* a value for setting s as flag text (lists comma-separated); returns 0 when s is not drawn */
static int draw_value(const cJSON *s, nn_rng *r, char *buf, size_t n)
{
    const char *t = cJSON_GetStringValue(cJSON_GetObjectItem(s, "type"));
    const cJSON *choices = cJSON_GetObjectItem(s, "choices");
    if (!strcmp(t, "json")) { /* a declared layer list; other JSON settings are left as configured */
        const char *key = cJSON_GetStringValue(cJSON_GetObjectItem(s, "key"));
        if (!key || !strstr(key, "layers")) return 0;
        draw_layers(r, buf, n < 1024 ? n : 1024);
        return 1;
    }
    if (!strcmp(t, "bool")) return snprintf(buf, n, "%s", nn_rng_below(r, 2) ? "true" : "false"), 1;
    int list = strstr(t, "_list") != NULL, count = 1;
    if (list) {
        int lo = (int)cJSON_GetObjectItem(s, "min_len")->valuedouble, hi = (int)cJSON_GetObjectItem(s, "max_len")->valuedouble;
        count = lo + (int)nn_rng_below(r, (unsigned)(nn_min_i(hi, lo + 4) - lo + 1));
        if (count == 0) return snprintf(buf, n, "%s", ""), 1;
    }
    buf[0] = '\0';
    for (int i = 0; i < count; i++) {
        char one[96];
        if (choices) {
            int k = cJSON_GetArraySize(choices);
            snprintf(one, sizeof one, "%s", cJSON_GetArrayItem(choices, (int)nn_rng_below(r, (unsigned)k))->valuestring);
        } else if (!strcmp(t, "string") || !strcmp(t, "string_list")) {
            return 0; /* free text (names, paths): left as configured */
        } else {
            draw_number(s, r, one, sizeof one);
        }
        size_t used = strlen(buf);
        snprintf(buf + used, n - used, "%s%s", i ? "," : "", one);
    }
    return 1;
}

static void base_cmd(cmdline *c, const program *p)
{
    c->argc = 0, c->data_one = 0;
    arg(c, "%s/%s", bindir, p->name);
    if (strcmp(p->name, "nntrain") != 0) arg(c, "--quick");
    else arg(c, "--epochs"), arg(c, "2");
}

/* the corner cases: each applies to the programs that have all its keys */
static const struct {
    const char *keys[3], *values[3];
    int one_class;
} corners[] = {
    {{"batch"}, {"1"}, 0},
    {{"n_train"}, {"1"}, 0},
    {{"n_train", "batch"}, {"11", "10"}, 0},
    {{"n_train", "batch"}, {"2", "1"}, 0},
    {{"n_test"}, {"1"}, 0},
    {{"seeds"}, {"1"}, 0},
    {{"seed"}, {"2147483647"}, 0},
    {{NULL}, {NULL}, 1},
    {{"n_train"}, {"3"}, 1},
};

static void corner_runs(const program *p)
{
    cmdline c;
    for (size_t k = 0; k < sizeof corners / sizeof corners[0]; k++) {
        int ok = 1;
        for (int j = 0; j < 3 && corners[k].keys[j]; j++) ok &= setting(p, corners[k].keys[j]) != NULL;
        if (!ok) continue;
        base_cmd(&c, p);
        c.data_one = corners[k].one_class;
        for (int j = 0; j < 3 && corners[k].keys[j]; j++)
            arg(&c, "--%s", corners[k].keys[j]), arg(&c, "%s", corners[k].values[j]);
        run(&c);
    }
    /* each count at its smallest; every setting whose name says it is a frequency at 1 (evaluate every step) */
    const cJSON *s;
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(p->doc, "settings"))
    {
        const char *key = cJSON_GetStringValue(cJSON_GetObjectItem(s, "key"));
        if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(s, "type")), "int") != 0) continue;
        if (strstr(key, "every") || strstr(key, "interval")) {
            base_cmd(&c, p);
            arg(&c, "--%s", key), arg(&c, "%.0f", fmax(1, cJSON_GetObjectItem(s, "min")->valuedouble));
            run(&c);
        }
    }
}

static void random_run(const program *p, nn_rng *r)
{
    cmdline c;
    base_cmd(&c, p);
    const cJSON *list = cJSON_GetObjectItem(p->doc, "settings");
    int n = cJSON_GetArraySize(list), k = 1 + (int)nn_rng_below(r, 3);
    for (int i = 0; i < k; i++) {
        const cJSON *s = cJSON_GetArrayItem(list, (int)nn_rng_below(r, (unsigned)n));
        char v[2048];
        if (!draw_value(s, r, v, sizeof v)) continue;
        arg(&c, "--%s", cJSON_GetStringValue(cJSON_GetObjectItem(s, "key")));
        arg(&c, "%s", v);
    }
    /* a program with declared layers gets a drawn layer list in a third of its runs (one setting among thirty
     * would be drawn rarely) */
    const cJSON *s;
    cJSON_ArrayForEach(s, list)
    {
        const char *key = cJSON_GetStringValue(cJSON_GetObjectItem(s, "key"));
        char v[1024];
        if (!strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(s, "type")), "json") && key && strstr(key, "layers") &&
            nn_rng_below(r, 3) == 0 && draw_value(s, r, v, sizeof v))
            arg(&c, "--%s", key), arg(&c, "%s", v);
    }
    const cJSON *arms = cJSON_GetObjectItem(p->doc, "arms");
    if (cJSON_GetArraySize(arms) > 1 && nn_rng_below(r, 3) == 0)
        arg(&c, "--arms"),
            arg(&c, "%s", cJSON_GetArrayItem(arms, (int)nn_rng_below(r, (unsigned)cJSON_GetArraySize(arms)))->valuestring);
    if (nn_rng_below(r, 8) == 0) c.data_one = 1;
    run(&c);
}

static int load_program(program *p, const char *name)
{
    snprintf(p->name, sizeof p->name, "%s", name);
    char cmd[1400], tmp[700];
    snprintf(tmp, sizeof tmp, "%s/settings.json", work);
    snprintf(cmd, sizeof cmd, "'%s/%s' %s --settings-json > '%s' 2>&1", bindir, name, strcmp(name, "nntrain") ? "--quick" : "",
             tmp);
    if (system(cmd) != 0) return -1;
    char *t = NULL;
    if (nn_read_file(tmp, 1 << 24, &t, NULL) != 0) return -1;
    p->doc = nn_json_parse(t);
    free(t);
    return p->doc ? 0 : -1;
}

int main(int argc, char **argv)
{
    double seconds = 60;
    uint64_t seed = 1;
    int shard = 0, shards = 1;
    const char *bin = NULL;
    int first = 1;
    for (; first < argc && !strncmp(argv[first], "--", 2); first++) {
        const char *a = argv[first];
        if (!strcmp(a, "--help")) {
            printf("usage: settings --bin DIR --seconds N [--seed S] [--timeout T] [--log FILE] [PROGRAM ...]\n"
                   "Run each program's corner cases, then random in-range settings until N seconds have passed;\n"
                   "fails (exit 1) on an exit status other than 0/1/2, a sanitizer report, or a results file touched by\n"
                   "a failed run. See tests/fuzz/settings.c.\n");
            return 0;
        }
        if (first + 1 >= argc) die("%s needs a value (see --help)", a);
        const char *v = argv[++first];
        if (!strcmp(a, "--bin")) bin = v;
        else if (!strcmp(a, "--seconds")) seconds = atof(v);
        else if (!strcmp(a, "--seed")) seed = strtoull(v, NULL, 10);
        else if (!strcmp(a, "--timeout")) timeout_s = atoi(v);
        else if (!strcmp(a, "--log")) snprintf(logpath, sizeof logpath, "%s", v);
        else if (!strcmp(a, "--shard")) {
            if (sscanf(v, "%d/%d", &shard, &shards) != 2 || shards < 1 || shard < 0 || shard >= shards)
                die("--shard wants K/N with 0 <= K < N, got %s", v);
        }
        else die("unknown flag %s (see --help)", a);
    }
    if (!bin) die("--bin DIR is required%s", "");
    if (!realpath(bin, bindir)) die("no directory %s", bin);
    if (timeout_s < 1) die("--timeout must be at least 1 second%s", "");
    const char *tmpdir = getenv("TMPDIR");
    snprintf(work, sizeof work, "%s/nnlab-settings-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    if (!mkdtemp(work)) die("cannot create a folder for the runs%s", "");
    /* the folder and the programs' folder reach a shell in single quotes (system() below): neither may hold one */
    if (strchr(work, '\'') || strchr(bindir, '\''))
        die("TMPDIR or --bin holds a single quote: %s", strchr(work, '\'') ? work : bindir);
    if (logpath[0] && !(logfp = fopen(logpath, "w"))) die("cannot write the log %s", logpath);
    make_data();

    const char **names = first < argc ? (const char **)argv + first : DEFAULT_PROGRAMS;
    int nn = 0, np = 0;
    while (names[nn] && (first >= argc || nn < argc - first)) nn++;
    program *ps = nn_calloc((size_t)nn + 1, sizeof *ps);
    for (int i = 0; i < nn; i++)
        if (i % shards == shard && load_program(&ps[np++], names[i]) != 0)
            die("cannot read the settings of %s (--settings-json)", names[i]);
    if (np == 0) die("no program in this shard%s", "");

    double t0 = nn_wall_seconds();
    for (int i = 0; i < np; i++) corner_runs(&ps[i]);
    long corner = n_runs;
    nn_rng r;
    nn_rng_seed(&r, seed);
    for (int i = 0; nn_wall_seconds() - t0 < seconds; i++) random_run(&ps[i % np], &r);
    printf("settings-fuzz%s: %ld runs of %d programs (%ld corner cases, %ld random) in %.0f s: %ld exit 0, %ld exit 1, "
           "%ld exit 2, %ld stopped at the %d s timeout, %ld failures\n",
           shards > 1 ? (shard ? " (second shard)" : " (first shard)") : "", n_runs, np, corner, n_runs - corner,
           nn_wall_seconds() - t0, n_exit[0], n_exit[1], n_exit[2], n_timeout, timeout_s, n_fail);
    if (logfp) fclose(logfp);
    for (int i = 0; i < np; i++) cJSON_Delete(ps[i].doc);
    free(ps);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", work);
    if (system(cmd) != 0) fprintf(stderr, "settings-fuzz: could not remove %s\n", work);
    return n_fail ? 1 : 0;
}
