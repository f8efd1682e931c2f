/* run_tests.c — every suite in one check runner, and the helpers of nn_test.h. */
#define _POSIX_C_SOURCE 200809L
#include "nn_test.h"

#include <math.h>
#include <signal.h>
#include <sys/wait.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

long nn_test_allocs;

/* library allocations are counted: the test binary links with -Wl,--wrap=malloc,… */
void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n) { nn_test_allocs++; return __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t m) { nn_test_allocs++; return __real_calloc(n, m); }
void *__wrap_realloc(void *p, size_t n) { nn_test_allocs++; return __real_realloc(p, n); }

void nn_test_tmpdir(char *buf, size_t n)
{
    const char *base = getenv("TMPDIR");
    snprintf(buf, n, "%s/nnlab-test-XXXXXX", base && *base ? base : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(buf));
}

void nn_test_rmdir(const char *dir)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

void nn_test_write(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

int nn_test_run(const char *cmd, char *out, size_t out_n)
{
    char full[4096];
    snprintf(full, sizeof full, "%s 2>&1", cmd);
    FILE *p = popen(full, "r");
    ck_assert_ptr_nonnull(p);
    size_t got = 0;
    char sink[4096];
    for (;;) {
        char *dst = out && got + 1 < out_n ? out + got : sink;
        size_t cap = out && got + 1 < out_n ? out_n - 1 - got : sizeof sink;
        size_t r = fread(dst, 1, cap, p);
        if (r == 0) break;
        if (dst != sink) got += r;
    }
    if (out) out[got] = '\0';
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

const char *nn_test_bin(void)
{
    const char *b = getenv("NNLAB_BIN");
    return b && *b ? b : NN_BIN_DIR;
}

int nn_test_run_and_stop(const char *cmd, unsigned usec, int sig)
{
    sigset_t stop, old;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    sigprocmask(SIG_BLOCK, &stop, &old);
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        signal(SIGTERM, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        sigprocmask(SIG_SETMASK, &old, NULL);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    setpgid(pid, pid);
    sigprocmask(SIG_SETMASK, &old, NULL);
    ck_assert_int_ge(pid, 0);
    usleep(usec);
    kill(-pid, sig);
    int st;
    waitpid(pid, &st, 0);
    for (int t = 0; t < 200 && kill(-pid, 0) == 0; t++) usleep(10000); /* what the group started is gone too */
    return st;
}

int nn_test_sanitized(void) { return getenv("NNLAB_SANITIZED") != NULL; }

double nn_test_gradcheck(nn_net *net, const nn_real *X, const nn_real *Y, int B, nn_mode mode, double lambda,
                         double scale)
{
    /* the library's checker (lib/nn_gradcheck.c) */
    double worst = nn_gradcheck_scaled(net, X, Y, B, mode, lambda, scale);
    ck_assert_msg(worst >= 0, "the backprop gradient is all zero");
    return worst;
}

void nn_test_steps(nn_net *net, nn_optim *opt, const nn_real *X, const int *y, int B, int steps)
{
    for (int t = 0; t < steps; t++) {
        nn_net_forward(net, X, B, NN_TRAIN);
        nn_net_set_labels(net, y, B);
        nn_net_loss(net, net->Y, 1);
        nn_net_zero_grad(net);
        nn_net_backward(net);
        nn_optim_step(opt, net, opt->lr);
    }
}

/* Check's per-test timeouts are there to catch a test that hangs, not to time one: a suite run beside other work
 * (a student's laptop, `make experiments` in another terminal) must not fail because the machine is busy. Unless
 * the caller sets CK_TIMEOUT_MULTIPLIER, every timeout is multiplied by 4, or by twice the load per core when the
 * machine is busier than that as the suite starts. Check reads the variable as each test case is created. */
static void scale_timeouts(void)
{
    if (getenv("CK_TIMEOUT_MULTIPLIER")) return;
    double load[1];
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int m = 4;
    if (getloadavg(load, 1) == 1 && cores > 0) {
        const int busy = 2 * (int)ceil(load[0] / (double)cores);
        m = busy > m ? busy : m;
    }
    char v[16];
    snprintf(v, sizeof v, "%d", m);
    setenv("CK_TIMEOUT_MULTIPLIER", v, 1);
}

int main(void)
{
    scale_timeouts();
    SRunner *sr = srunner_create(suite_rng());
    srunner_add_suite(sr, suite_init());
    srunner_add_suite(sr, suite_data());
    srunner_add_suite(sr, suite_gradcheck());
    srunner_add_suite(sr, suite_conv());
    srunner_add_suite(sr, suite_batchnorm());
    srunner_add_suite(sr, suite_optim());
    srunner_add_suite(sr, suite_stats());
    srunner_add_suite(sr, suite_train());
    srunner_add_suite(sr, suite_cli());
    srunner_add_suite(sr, suite_results());
    srunner_add_suite(sr, suite_e2e());
    srunner_add_suite(sr, suite_experiments());
    srunner_add_suite(sr, suite_notes());
    srunner_add_suite(sr, suite_catalogue());
    srunner_add_suite(sr, suite_faults());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
