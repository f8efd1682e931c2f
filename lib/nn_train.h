/* nn_train.h — the training loop and evaluation.
 *
 * Each epoch: reshuffle the training indices from the seed, walk them in mini-batches
 * (the last one may be smaller; with batch norm, a last mini-batch of a single sample is
 * left out of that epoch, since its batch variance is undefined), and per step: gather → forward (train mode) → loss →
 * backward → optimizer step. After the epoch: test (and optionally train) accuracy in
 * evaluation mode. A step whose loss or parameters become NaN/±Inf stops the run and
 * is recorded as diverged (epoch, step, what), never continued.
 * Buffers are allocated once at the start of nn_train; a step allocates nothing.
 * Progress (epoch, loss, accuracy, time left) goes to stderr when it is a terminal.
 */
#ifndef NN_TRAIN_H
#define NN_TRAIN_H

#include "nn_data.h"
#include "nn_net.h"
#include "nn_optim.h"

typedef struct nn_epoch {
    int epoch;          /* 1-based */
    double lr;
    double train_loss;  /* mean mini-batch objective during the epoch (data loss, no L2) */
    double train_acc;   /* evaluation-mode accuracy on the training set (NAN when not measured) */
    double test_loss, test_acc;
    double seconds;
} nn_epoch;

typedef struct nn_history {
    int n_epochs, cap;
    nn_epoch *ep;
    long steps;
    int diverged;           /* 1 when stopped on NaN/Inf */
    int div_epoch;          /* 1-based epoch of the divergence */
    long div_step;          /* 1-based step within that epoch */
    char div_what[32];      /* "loss" or "parameters" */
} nn_history;

struct nn_train_ctx;
typedef int (*nn_step_hook)(struct nn_train_ctx *ctx, void *user); /* nonzero: stop */

typedef struct nn_train_ctx {
    nn_net *net;
    nn_optim *opt;
    int epoch;          /* 1-based, during the epoch */
    long step;          /* 1-based within the epoch */
    long global_step;   /* 1-based over the run */
    int B;              /* rows in this step */
    const nn_real *X;   /* this step's inputs (B, d) */
    const int *y;       /* this step's labels */
    double loss;        /* this step's objective */
} nn_train_ctx;

typedef struct nn_train_cfg {
    int epochs;
    int batch;
    uint64_t seed;              /* shuffling stream */
    int eval_train;             /* 1: measure train accuracy each epoch */
    int eval_train_max;         /* 0 = the whole training set, else its first N samples */
    int skip_test;              /* 1: no test-set evaluation after each epoch, as if test were NULL (a run that
                                 * measures the test set its own way) */
    const char *label;          /* for progress lines */
    int progress;               /* 1: progress on stderr if it is a terminal */
    /* called after backward and before the optimizer step (gradients of this step are
     * in net->grads); may change outputs[j].weight (α_j) or the learning rate */
    nn_step_hook before_update;
    /* called after the optimizer step */
    nn_step_hook after_update;
    /* called after each epoch's evaluation; ctx->epoch is that epoch */
    nn_step_hook after_epoch;
    void *user;
} nn_train_cfg;

/* Trains in place. Returns 0 (diverged runs included: see hist->diverged), or −1 when
 * the configuration cannot run (message in nn_error()). test may be NULL. */
__attribute__((warn_unused_result)) int nn_train(nn_net *net, nn_optim *opt, const nn_dataset *train, const nn_dataset *test,
             const nn_train_cfg *cfg, nn_history *hist);
void nn_history_free(nn_history *h);

/* Mean loss (main output) and accuracy over the first `max` samples of ds (0 = all),
 * in evaluation mode and in chunks of the network's max_batch. */
void nn_evaluate(nn_net *net, const nn_dataset *ds, int max, nn_mode mode, double *loss, double *acc);
/* Index of the predicted class for row r of the last forward (a single output unit
 * predicts 1 when its value is ≥ 0.5). */
int nn_predict_row(const nn_net *net, int r);

#endif
