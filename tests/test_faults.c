/* test_faults.c — every file the lab writes, under faults: stopped at random moments, on a full
 * filesystem, in a directory the program may not write into.
 *
 * The writers: a program's results (--out), the figures (tools/figures, which `make plots`
 * and `make experiments` call), the report (nn-report), the notes' generated blocks (nn-notes),
 * a comparison (nn-compare), the digits' conversion (nn-npm2idx) and the seed-set stamps (nn-seedsets). The rule for each: the
 * file is its old version or its complete new one, never a mix; a write that cannot finish is
 * an error (exit 1) naming the file, and leaves no temporary file behind.
 *
 * A full filesystem is a 1 MiB tmpfs filled to the last block (mounted in a user and mount
 * namespace: `unshare -rm`); where namespaces are not allowed, a file-size limit (ulimit -f,
 * SIGXFSZ ignored) makes every write past 1 KiB fail the same way. A read-only directory is
 * one the program's user may not write into (user nobody when the suite runs as root). */
#include "nn_test.h"

#include <signal.h>
#include <sys/wait.h>

#ifndef NN_ROOT
#define NN_ROOT "."
#endif

static char dir[512];
static char out[65536];

static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    return nn_test_run(cmd, out, sizeof out);
}

/* 10 npm-format digit files with n digits each (values in [0, 1]) */
static void write_npm_digits(const char *d, int n)
{
    ck_assert_int_eq(mkdir(d, 0755), 0);
    nn_rng r;
    nn_rng_seed(&r, 5);
    for (int c = 0; c < 10; c++) {
        char p[800];
        snprintf(p, sizeof p, "%s/%d.json", d, c);
        FILE *f = fopen(p, "w");
        ck_assert_ptr_nonnull(f);
        fputs("{\"data\": [", f);
        for (int k = 0; k < n * 784; k++)
            fprintf(f, "%s%.3f", k ? ", " : "", nn_rng_uniform(&r) < 0.8 ? 0.0 : nn_rng_uniform(&r));
        fputs("]}", f);
        fclose(f);
    }
}

/* Every writer: the file(s) it replaces, what makes the old version (a shell command run in
 * the output directory D; $ROOT is the checkout, $T the test's folder), and the command. */
typedef struct {
    const char *what, *old_files, *make_old, *cmd;
} writer;

static const writer writers[] = {
    {"results", "train.json", "printf '{\"old\": true}\\n' > train.json",
     "bin/nntrain --data spirals --epochs 2 --out $D/train.json"},
    {"figures", "momentum-descent.png momentum-descent.svg",
     "cp $ROOT/plots/momentum-descent.png $ROOT/plots/momentum-descent.svg .",
     "tools/figures results/momentum.json $D/momentum plots/momentum.gp"},
    {"report", "report.html", "printf '<html>old</html>\\n' > report.html",
     "bin/nn-report --katex $T/katex --results results --out $D/report.html lectures/02-depth.md"},
    {"notes", "02-depth.md",
     "sed 's/^<!-- nnlab:results depth begin -->$/&\\nstale line/' $ROOT/lectures/02-depth.md > 02-depth.md",
     "bin/nn-notes --results results $D/02-depth.md"},
    {"comparison", "compare.md curves.gp", "printf 'old\\n' > compare.md; printf 'old\\n' > curves.gp",
     "bin/nn-compare --out $D results/depth.json results/depth.json"},
    {"conversion", "train-images-idx3-ubyte", "printf 'old' > train-images-idx3-ubyte", "bin/nn-npm2idx $T/digits $D"},
    {"seed sets", "residual.json", "cp $ROOT/results/residual.json . && mkdir -p $T/no-exercises",
     "bin/nn-seedsets --exercises $T/no-exercises $D/residual.json"},
};
#define N_WRITERS ((int)(sizeof writers / sizeof writers[0]))

static void setup(void)
{
    nn_test_tmpdir(dir, sizeof dir);
    chmod(dir, 0755); /* readable by the unprivileged user of the read-only case */
    char p[800];
    snprintf(p, sizeof p, "%s/digits", dir);
    write_npm_digits(p, 12);
    /* a stand-in for KaTeX's dist folder: nn-report inlines these files as they are */
    ck_assert_int_eq(run("mkdir -p %s/katex/contrib && touch %s/katex/katex.min.css %s/katex/katex.min.js "
                         "%s/katex/contrib/auto-render.min.js && chmod -R a+rX %s",
                         dir, dir, dir, dir, dir),
                     0);
}

static void teardown(void) { nn_test_rmdir(dir); }

/* the shell that prepares D (old files, and a copy of them in $T/ref-K), runs the writer and reports:
 * "rc=N", then "changed F" for an old file that is no longer its old self, "left F" for a file
 * the writer left behind */
static void script(char *buf, size_t n, int k, const char *D, const char *before_cmd, const char *wrap)
{
    const writer *w = &writers[k];
    snprintf(buf, n,
             "exec 2>&1; ROOT=%s; T=%s; D=%s; export ROOT T D; mkdir -p $D && cd $D && %s && mkdir -p $T/ref-%d && cp %s "
             "$T/ref-%d/ && %s; "
             "cd $ROOT && %s %s; echo rc=$?; cd $D; for f in %s; do cmp -s $f $T/ref-%d/$f || echo changed $f; done; "
             "for f in $(ls -A); do case \" %s .fill \" in *\" $f \"*) ;; *) echo left $f;; esac; done",
             NN_ROOT, dir, D, w->make_old, k, w->old_files, k, before_cmd, wrap, w->cmd, w->old_files, k, w->old_files);
}

static void check_refused(int k, const char *how)
{
    const writer *w = &writers[k];
    char *rc = strstr(out, "rc=");
    ck_assert_msg(rc && atoi(rc + 3) == 1, "%s on %s: exit %s, not 1:\n%s", w->what, how, rc ? rc + 3 : "?", out);
    ck_assert_msg(!strstr(out, "\nchanged "), "%s on %s changed an old file:\n%s", w->what, how, out);
    ck_assert_msg(!strstr(out, "\nleft "), "%s on %s left a file behind:\n%s", w->what, how, out);
}

static int have_namespaces(void) { return system("unshare -rm true > /dev/null 2>&1") == 0; }

START_TEST(test_full_filesystem)
{
    char D[700], body[6000], cmd[8192];
    snprintf(D, sizeof D, "%s/full-%d", dir, _i);
    if (have_namespaces()) {
        /* the tmpfs is mounted over D inside the namespace; the old files go in, then zeros until it is full */
        ck_assert_int_eq(mkdir(D, 0755), 0);
        script(body, sizeof body, _i, D, "{ dd if=/dev/zero of=.fill bs=1024 > /dev/null 2>&1; true; }", "");
        char mnt[800];
        snprintf(mnt, sizeof mnt, "mount -t tmpfs -o size=1m tmpfs %s && ", D);
        nn_test_write(strcat(strcpy(cmd, dir), "/full.sh"), body, strlen(body));
        snprintf(cmd, sizeof cmd, "unshare -rm sh -c '%s sh %s/full.sh' 2>&1", mnt, dir);
    } else {
        script(body, sizeof body, _i, D, "true", "trap '' XFSZ; ulimit -f 1;");
        nn_test_write(strcat(strcpy(cmd, dir), "/full.sh"), body, strlen(body));
        snprintf(cmd, sizeof cmd, "sh %s/full.sh 2>&1", dir);
    }
    run("%s", cmd);
    check_refused(_i, "a full filesystem");
    ck_assert_msg(strstr(out, "No space left") || strstr(out, "too large") || strstr(out, "disk full"),
                  "%s on a full filesystem: no reason given:\n%s", writers[_i].what, out);
}
END_TEST

START_TEST(test_read_only_directory)
{
    char D[700], body[6000];
    snprintf(D, sizeof D, "%s/ro-%d", dir, _i);
    const char *as = geteuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : "";
    /* as root: D stays root's (0755), the writer runs as nobody; otherwise D is made 0555 */
    script(body, sizeof body, _i, D, geteuid() == 0 ? "chmod 755 $D" : "chmod 555 $D", as);
    run("%s", body);
    check_refused(_i, "a read-only directory");
    ck_assert_msg(strstr(out, "Permission denied") || strstr(out, "cannot"), "%s in a read-only directory: no reason:\n%s",
                  writers[_i].what, out);
    chmod(D, 0755);
}
END_TEST

/* 1 when the file is a complete PNG (ends with its IEND chunk) or SVG (ends with </svg>) */
static int complete_figure(const char *path)
{
    char *t = NULL;
    size_t len = 0;
    if (nn_read_file(path, 1 << 26, &t, &len) != 0) return 0;
    int ok = 0;
    if (len > 12 && !memcmp(t, "\x89PNG", 4)) ok = !memcmp(t + len - 8, "IEND", 4);
    else if (strstr(path, ".svg")) ok = strstr(t, "</svg>") != NULL && len - (size_t)(strstr(t, "</svg>") - t) <= 8;
    free(t);
    return ok;
}

/* stop `cmd` after a random time below max_us with SIGKILL, SIGTERM or SIGINT (by k) */
static void run_and_stop(const char *cmd, nn_rng *r, int k, unsigned max_us)
{
    const int sigs[3] = {SIGKILL, SIGTERM, SIGINT};
    nn_test_run_and_stop(cmd, (unsigned)nn_rng_below(r, max_us), sigs[k % 3]);
}

START_TEST(test_kill_make_plots)
{
    /* `make plots` stopped at random moments: every figure is a complete PNG or SVG (the old one or
     * the new one), and no figure file is empty or cut short */
    char res[700], figs[700], cmd[4096];
    snprintf(res, sizeof res, "%s/res", dir);
    snprintf(figs, sizeof figs, "%s/figs", dir);
    ck_assert_int_eq(
        run("mkdir -p %s %s && cp %s/results/momentum.json %s/ && cp %s/plots/momentum-*.png %s/plots/momentum-*.svg %s/", res,
            figs, NN_ROOT, res, NN_ROOT, NN_ROOT, figs),
        0);
    snprintf(cmd, sizeof cmd, "cd %s && exec make -s --no-print-directory plots PLOT_RESULTS=%s PLOT_FIGS=%s > /dev/null 2>&1",
             NN_ROOT, res, figs);
    nn_rng r;
    nn_rng_seed(&r, 91);
    for (int k = 0; k < 12; k++) {
        run_and_stop(cmd, &r, k, 2500000); /* the six figures take about 1.5 s */
        const char *names[] = {"descent", "mlp", "quadratic"}, *fmts[] = {"png", "svg"};
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 2; j++) {
                char p[800];
                snprintf(p, sizeof p, "%s/momentum-%s.%s", figs, names[i], fmts[j]);
                ck_assert_msg(complete_figure(p), "after stop %d, %s is not a complete figure", k, p);
            }
        ck_assert_int_eq(run("ls %s | grep -vc '^momentum-'", figs), 1); /* grep -c prints 0 and exits 1 */
    }
    /* and a run left alone draws all six, and removes the folders that SIGKILL left (their process is gone) */
    ck_assert_int_eq(run("cd %s && make -s --no-print-directory plots PLOT_RESULTS=%s PLOT_FIGS=%s", NN_ROOT, res, figs), 0);
    ck_assert_int_eq(run("ls -A %s | grep -c '^\\.figures-'", figs), 1);
}
END_TEST

START_TEST(test_kill_report_and_conversion)
{
    /* the report and the converted digits, stopped at random moments: old or complete new */
    char cmd[4096], html[700], idx[800], conv[700];
    snprintf(html, sizeof html, "%s/report.html", dir);
    snprintf(conv, sizeof conv, "%s/conv", dir);
    nn_test_write(html, "<html>old</html>\n", 17);
    ck_assert_int_eq(mkdir(conv, 0755), 0);
    nn_rng r;
    nn_rng_seed(&r, 92);
    for (int k = 0; k < 10; k++) {
        snprintf(cmd, sizeof cmd,
                 "cd %s && exec bin/nn-report --katex %s/katex --results results --out %s lectures/*.md > /dev/null 2>&1",
                 NN_ROOT, dir, html);
        run_and_stop(cmd, &r, k, 400000);
        char *t = NULL;
        size_t len = 0;
        ck_assert_int_eq(nn_read_file(html, 1 << 28, &t, &len), 0);
        ck_assert_msg(!strcmp(t, "<html>old</html>\n") || (len > 1000 && strstr(t + len - 20, "</html>")),
                      "after stop %d the report is neither the old page nor a complete new one (%zu bytes)", k, len);
        free(t);
        snprintf(cmd, sizeof cmd, "exec %s/nn-npm2idx %s/digits %s > /dev/null 2>&1", NN_BIN, dir, conv);
        run_and_stop(cmd, &r, k, 150000);
        const char *files[] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "val-images-idx3-ubyte",
                               "val-labels-idx1-ubyte", "test-images-idx3-ubyte", "test-labels-idx1-ubyte"};
        for (int f = 0; f < 6; f++) {
            snprintf(idx, sizeof idx, "%s/%s", conv, files[f]);
            if (access(idx, F_OK) != 0) continue; /* not written yet */
            nn_idx x = {0};
            ck_assert_msg(nn_idx_read(idx, strstr(files[f], "images") ? 3 : 1, &x) == 0,
                          "after stop %d, %s is not a complete IDX file: %s", k, idx, nn_error());
            free(x.data);
        }
        /* a temporary file may outlive SIGKILL (nothing runs to remove it), never SIGTERM or SIGINT */
        if (k % 3 != 0) ck_assert_msg(run("ls -A %s | grep -c nnlab-tmp", conv) == 1, "stop %d left a temporary file", k);
        run("rm -f %s/.nnlab-tmp-*", conv);
    }
}
END_TEST

Suite *suite_faults(void)
{
    Suite *s = suite_create("faults");
    TCase *tc = tcase_create("writers");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_full_filesystem, 0, N_WRITERS);
    tcase_add_loop_test(tc, test_read_only_directory, 0, N_WRITERS);
    tcase_add_test(tc, test_kill_make_plots);
    tcase_add_test(tc, test_kill_report_and_conversion);
    suite_add_tcase(s, tc);
    return s;
}
