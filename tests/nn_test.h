/* nn_test.h — helpers shared by the check suites (built against the double library). */
#ifndef NN_TEST_H
#define NN_TEST_H

#include <check.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nnlab.h"

/* Each suite file defines one of these; run_tests.c collects them. */
Suite *suite_rng(void);
Suite *suite_init(void);
Suite *suite_data(void);
Suite *suite_gradcheck(void);
Suite *suite_conv(void);
Suite *suite_batchnorm(void);
Suite *suite_optim(void);
Suite *suite_stats(void);
Suite *suite_train(void);
Suite *suite_cli(void);
Suite *suite_results(void);
Suite *suite_e2e(void);
Suite *suite_experiments(void);
Suite *suite_notes(void);
Suite *suite_catalogue(void);
Suite *suite_faults(void);

/* A fresh temporary directory (removed by nn_test_rmdir). */
void nn_test_tmpdir(char *buf, size_t n);
void nn_test_rmdir(const char *dir);
void nn_test_write(const char *path, const void *data, size_t len);
/* Run a shell command; returns its exit status and (if out) its stdout+stderr. */
int nn_test_run(const char *cmd, char *out, size_t out_n);
/* The programs the end-to-end suites run: $NNLAB_BIN (make test-san points it at the sanitizer
 * build, build/sanbin/), else the checkout's bin/. */
const char *nn_test_bin(void);
#define NN_BIN nn_test_bin()
/* Start `cmd` (sh -c) in a process group of its own, send the group `sig` after `usec` microseconds,
 * and wait for it (and for what it started) to end; returns the wait status. SIGTERM and SIGINT are
 * blocked across the fork: until it execs, the child is a copy of this runner, whose check handlers
 * would signal the runner's whole group (make, the CI shell). */
int nn_test_run_and_stop(const char *cmd, unsigned usec, int sig);
/* 1 when running the sanitizer build (long checks may use smaller sizes). */
int nn_test_sanitized(void);

/* Malloc/calloc/realloc calls made by library code (counted through -Wl,--wrap). */
extern long nn_test_allocs;

/* Gradient check of the whole objective Σ_j w_j C_j (+ (λ/2)‖w‖²) for the net's current
 * parameters on (X, Y) in the given mode: every parameter's backprop gradient against a
 * central difference. Returns the worst relative error max|g − n| / max(|n|, 1e-3 · ‖n‖∞)
 * and fails the test if the backprop gradient is all zero. `scale` multiplies the
 * backprop gradient (1; the self-test uses 2 to show a wrong factor fails). */
double nn_test_gradcheck(nn_net *net, const nn_real *X, const nn_real *Y, int B, nn_mode mode, double lambda,
                         double scale);
/* `steps` training steps (forward, loss on labels y, backward, optimizer step at opt->lr) */
void nn_test_steps(nn_net *net, nn_optim *opt, const nn_real *X, const int *y, int B, int steps);
#define GRAD_TOL 1e-6 /* double precision, h = 1e-5: a factor-2 error gives ~0.5 */

#endif
