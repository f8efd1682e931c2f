/* nn_train.c — the training loop and evaluation (see nn_train.h). */
#define _POSIX_C_SOURCE 200809L
#include "nn_train.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

int nn_predict_row(const nn_net *net, int r)
{
    int n = nn_net_n_out(net);
    const nn_real *a = nn_net_output_values(net) + (size_t)r * n;
    if (n == 1) return a[0] >= 0.5;
    int best = 0;
    for (int k = 1; k < n; k++)
        if (a[k] > a[best]) best = k;
    return best;
}

/* buf: max_batch × d floats for a set held as bytes (unused otherwise) */
static void evaluate(nn_net *net, const nn_dataset *ds, int max, nn_mode mode, double *loss, double *acc, nn_real *buf)
{
    int n = (max > 0 && max < ds->n) ? max : ds->n;
    double lsum = 0;
    long correct = 0;
    for (int start = 0; start < n; start += net->max_batch) {
        int B = nn_min_i(net->max_batch, n - start);
        nn_net_forward(net, nn_dataset_rows(ds, start, B, buf), B, mode);
        nn_net_set_labels(net, ds->y + start, B);
        const nn_output *o = &net->outputs[0];
        const nn_layer *L = &net->layers[o->node];
        lsum += B * nn_loss_eval(o->loss, NULL, nn_net_node_out(net, L->in), L->out, net->Y, B, L->n, 1.0);
        for (int r = 0; r < B; r++) correct += nn_predict_row(net, r) == ds->y[start + r];
    }
    if (loss) *loss = n ? lsum / n : NAN;
    if (acc) *acc = n ? (double)correct / n : NAN;
}

void nn_evaluate(nn_net *net, const nn_dataset *ds, int max, nn_mode mode, double *loss, double *acc)
{
    nn_real *buf = ds->X8 ? nn_calloc((size_t)net->max_batch * (size_t)ds->d, sizeof(nn_real)) : NULL;
    evaluate(net, ds, max, mode, loss, acc, buf);
    free(buf);
}

static void history_push(nn_history *h, const nn_epoch *e)
{
    if (h->n_epochs == h->cap) {
        int cap = h->cap ? 2 * h->cap : 32;
        nn_epoch *p = realloc(h->ep, (size_t)cap * sizeof *p);
        NN_ASSERT(p != NULL, "out of memory");
        h->ep = p;
        h->cap = cap;
    }
    h->ep[h->n_epochs++] = *e;
}

void nn_history_free(nn_history *h)
{
    free(h->ep);
    memset(h, 0, sizeof *h);
}

static void progress_line(const nn_train_cfg *cfg, int epoch, long step, long steps, double loss, double t0)
{
    double el = nn_wall_seconds() - t0;
    double done = (double)(epoch - 1) + (double)step / (double)steps;
    double left = done > 0 ? el * ((double)cfg->epochs - done) / done : 0;
    fprintf(stderr, "\r\033[K[%s] epoch %d/%d  step %ld/%ld  loss %.4f  %.0fs left", cfg->label ? cfg->label : "train",
            epoch, cfg->epochs, step, steps, loss, left);
}

int nn_train(nn_net *net, nn_optim *opt, const nn_dataset *train, const nn_dataset *test,
             const nn_train_cfg *cfg, nn_history *hist)
{
    memset(hist, 0, sizeof *hist);
    if (cfg->skip_test) test = NULL;
    if (cfg->epochs < 0) return nn_fail("epochs must be ≥ 0 (got %d)", cfg->epochs);
    if (cfg->batch <= 0) return nn_fail("mini-batch size must be positive (got %d)", cfg->batch);
    if (cfg->batch > net->max_batch)
        return nn_fail("mini-batch size %d exceeds the network's max_batch %d", cfg->batch, net->max_batch);
    if (train->n <= 0) return nn_fail("the training set is empty");
    if (train->d != net->n_input)
        return nn_fail("the data has %d features but the network takes %d inputs", train->d, net->n_input);
    if (test && test->n > 0 && test->d != train->d)
        return nn_fail("the test set has %d features, the training set %d", test->d, train->d);
    NN_ASSERT(opt->v && opt->n == net->n_params, "nn_optim_init with this network first");

    const int n = train->n, d = train->d;
    int *idx = nn_calloc((size_t)n, sizeof(int));
    /* the mini-batch, and the rows an evaluation converts from a set held as bytes */
    nn_real *Xb = nn_calloc((size_t)net->max_batch * d, sizeof(nn_real));
    int *yb = nn_calloc((size_t)cfg->batch, sizeof(int));
    for (int i = 0; i < n; i++) idx[i] = i;
    nn_rng shuf;
    nn_rng_seed(&shuf, cfg->seed ^ 0x5ca1ab1eull);

    /* batch norm needs two samples per feature in a training batch: a last mini-batch of one sample is left
     * out of that epoch (a different one each epoch, the order being reshuffled); a mini-batch size of 1 is
     * refused */
    int has_bn = 0;
    for (int i = 0; i < net->n_layers; i++) has_bn |= net->layers[i].kind == NN_L_BATCHNORM;
    if (has_bn && (cfg->batch < 2 || n < 2)) {
        free(idx), free(Xb), free(yb);
        return nn_fail("batch norm needs mini-batches of at least 2 samples (batch %d, %d training samples)", cfg->batch, n);
    }
    const int tty = cfg->progress && isatty(2);
    const long steps = has_bn && n % cfg->batch == 1 ? n / cfg->batch : (n + cfg->batch - 1) / cfg->batch;
    nn_train_ctx ctx = {.net = net, .opt = opt, .X = Xb, .y = yb};
    double t0 = nn_wall_seconds(), last_print = 0;
    int stop = 0;
    for (int e = 1; e <= cfg->epochs && !stop; e++) {
        double te = nn_wall_seconds();
        double lr = nn_optim_lr_at(opt, e - 1);
        nn_rng_shuffle(&shuf, idx, n);
        double lsum = 0;
        long seen = 0;
        ctx.epoch = e;
        for (long s = 0; s < steps && !stop; s++) {
            int start = (int)(s * cfg->batch);
            int B = nn_min_i(cfg->batch, n - start);
            nn_dataset_gather(train, idx + start, B, Xb, yb);
            if (s + 1 < steps) nn_dataset_prefetch(train, idx + start + B, nn_min_i(cfg->batch, n - start - B));
            nn_net_forward(net, Xb, B, NN_TRAIN);
            nn_net_set_labels(net, yb, B);
            double loss = nn_net_loss(net, net->Y, 1);
            ctx.step = s + 1;
            ctx.global_step = ++hist->steps;
            ctx.B = B;
            ctx.loss = loss;
            if (!isfinite(loss)) {
                hist->diverged = 1, hist->div_epoch = e, hist->div_step = s + 1;
                snprintf(hist->div_what, sizeof hist->div_what, "loss");
                break;
            }
            nn_net_zero_grad(net);
            nn_net_backward(net);
            if (cfg->before_update && cfg->before_update(&ctx, cfg->user)) stop = 1;
            if (nn_optim_step(opt, net, lr) != 0) {
                hist->diverged = 1, hist->div_epoch = e, hist->div_step = s + 1;
                snprintf(hist->div_what, sizeof hist->div_what, "parameters");
                break;
            }
            if (cfg->after_update && cfg->after_update(&ctx, cfg->user)) stop = 1;
            lsum += loss * B;
            seen += B;
            if (tty && nn_wall_seconds() - last_print > 0.2) {
                progress_line(cfg, e, s + 1, steps, lsum / (double)seen, t0);
                last_print = nn_wall_seconds();
            }
        }
        if (hist->diverged) break;
        nn_epoch rec = {.epoch = e, .lr = lr, .train_loss = seen ? lsum / (double)seen : NAN,
                        .train_acc = NAN, .test_loss = NAN, .test_acc = NAN};
        if (cfg->eval_train) evaluate(net, train, cfg->eval_train_max, NN_EVAL, NULL, &rec.train_acc, Xb);
        if (test && test->n > 0) evaluate(net, test, 0, NN_EVAL, &rec.test_loss, &rec.test_acc, Xb);
        rec.seconds = nn_wall_seconds() - te;
        history_push(hist, &rec);
        if (tty) {
            fprintf(stderr, "\r\033[K[%s] epoch %d/%d  loss %.4f", cfg->label ? cfg->label : "train", e, cfg->epochs,
                    rec.train_loss);
            if (cfg->eval_train) fprintf(stderr, "  train %.2f%%", 100 * rec.train_acc);
            if (test && test->n > 0) fprintf(stderr, "  test %.2f%%", 100 * rec.test_acc);
            fprintf(stderr, "  (%.1fs)\n", rec.seconds);
        }
        if (cfg->after_epoch && cfg->after_epoch(&ctx, cfg->user)) stop = 1;
    }
    if (tty && hist->diverged)
        fprintf(stderr, "\r\033[K[%s] diverged: %s became NaN/Inf at epoch %d, step %ld\n",
                cfg->label ? cfg->label : "train", hist->div_what, hist->div_epoch, hist->div_step);
    free(idx);
    free(Xb);
    free(yb);
    return 0;
}
