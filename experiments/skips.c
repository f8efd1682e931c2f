/* skips — seed 003's skip connections: the identity, concatenation, and the loss landscape.
 *
 *   (a) "Identity seems to be a rather difficult mapping to learn": a net of `id_depth` hidden ReLU
 *       layers of `id_width` units is trained to output its own input, x ~ N(0, I) of dimension
 *       `id_dim` (width 2·dim lets a plain ReLU stack represent the identity exactly, as
 *       x = ReLU(x) − ReLU(−x)), plain against residual (each block h + W·ReLU(h); with `id_batchnorm`,
 *       batch norm before every ReLU of both), Adam, fresh samples every step. The mean squared error
 *       per coordinate on 1,000 held-out samples after `id_steps`.
 *   (b) Concatenation: "append an early layer to a deeper layer … for 'annotating the input' style
 *       problems with dense outputs … even for shallow networks". A dense-output task: from a noisy
 *       digit (Gaussian noise `noise`) predict every pixel of the clean, binarized digit (> 0.5), with
 *       a sigmoid per pixel and the log-loss. 784 → `cat_hidden` ReLU → 784 without a skip; the same
 *       with the input appended to the hidden layer (a concatenation skip); and, so that parameters
 *       cannot explain the difference, the net without a skip but as wide as it needs to be to have
 *       at least as many parameters. Per-pixel error on the test images.
 *   (c) The loss landscape (Li et al. 2018, "visualizing the loss landscape of neural nets"): plain
 *       and residual nets of `ls_depth` layers of `ls_width` ReLU units with batch norm, trained for
 *       `ls_epochs` (momentum 0.9); then the loss on `ls_probe` training images at θ + αδ + βη on a
 *       `ls_grid` × `ls_grid` grid over [−1, 1]², δ and η random directions, filter-normalized (each
 *       unit's incoming weights rescaled to the norm of that unit's weights; biases and batch norm's
 *       parameters not moved). The surface's non-convexity: at each interior grid point the
 *       finite-difference Hessian in (α, β); the mean of |min(λ_min, 0)| / |λ_max| over points (0:
 *       locally convex everywhere).
 *
 * The conditions, in the order they run: (a) the identity and, as a control, a signed permutation of the
 * coordinates (T_i = ±x_π(i), drawn per seed: as easy to represent, not the identity), each learned by the plain
 * and the residual net (groups "identity" and "permutation", x 0 plain, 1 residual); a cell records its test
 * error at 21 marks ('mse', at Adam step 'step'), its last one 'final_mse' (NaN when the weights left the finite
 * numbers), and a residual cell log10 of the plain net's final error over its own, same seed, same samples; (b)
 * the three nets (group "concatenation", x 0, 1, 2), each cell its 'pixel_error_pct' on the test images (their
 * noise fixed, drawn once), its 'parameters' and 'hidden' units; (c) plain and residual (group "landscape", x 0,
 * 1), each cell its training record, 'test_acc_pct' at the end, its surface ('surface', β-major) and its
 * 'nonconvexity'.
 *
 * Settings, and the claims: experiments/skips.json (every key: bin/skips --help). The claims judge the cells'
 * measures and the numbers main() derives from them after the cells (the document's "derived").
 */
#include <math.h>
#include <string.h>

#include "nnlab.h"

typedef struct settings {
    nn_exp_common common;
    int id_dim, id_width, id_depth, id_steps, id_batch, id_batchnorm;
    double id_lr;
    int cat_hidden, cat_epochs, cat_batch;
    double noise, cat_lr;
    int ls_depth, ls_width, ls_epochs, ls_batch, ls_grid, ls_probe;
    double ls_lr;
    int part, residual, task, variant, plain; /* a condition's: its part (a, b, c), plain/residual, identity or
                                               * permutation, which net of (b), and (a residual cell) its plain partner */
} settings;

enum { IDENTITY, CONCAT, LANDSCAPE };
#define N_MARKS 20 /* (a): the test error at 21 evenly spaced steps */

typedef struct context {
    int H_wide;            /* (b): the width of the net without the skip that has as many parameters */
    nn_real *XnT, *TtT;    /* (b): the noisy test images (fixed noise) and their binarized clean targets */
    nn_dataset probe;      /* (c): the training images the surface is evaluated on */
} context;

static int fields(void *p, nn_cfg_field *f, nn_cfg_refusal *r, int *n_r)
{
    (void)r, (void)n_r;
    settings *s = p;
    int n = nn_exp_common_fields(&s->common, f);
    f[n++] = (nn_cfg_field){"id_dim", NN_CFG_INT, &s->id_dim, 1, 4096, NULL, NULL, 0, 0, "(a) dimension of x"};
    f[n++] = (nn_cfg_field){"id_width", NN_CFG_INT, &s->id_width, 1, 8192, NULL, NULL, 0, 0, "(a) units per hidden layer"};
    f[n++] = (nn_cfg_field){"id_depth", NN_CFG_INT, &s->id_depth, 2, NN_MAX_HIDDEN, NULL, NULL, 0, 0, "(a) hidden layers"};
    f[n++] = (nn_cfg_field){"id_steps", NN_CFG_INT, &s->id_steps, 1, 10000000, NULL, NULL, 0, 0, "(a) Adam steps"};
    f[n++] = (nn_cfg_field){"id_batch", NN_CFG_INT, &s->id_batch, 1, 4096, NULL, NULL, 0, 0, "(a) samples per step"};
    f[n++] = (nn_cfg_field){"id_batchnorm", NN_CFG_BOOL, &s->id_batchnorm, 0, 1, NULL, NULL, 0, 0,
                            "(a) batch norm in both nets (before each ReLU), as He et al. train them"};
    f[n++] = (nn_cfg_field){"id_lr", NN_CFG_REAL, &s->id_lr, 1e-8, 10, NULL, NULL, 0, 0, "(a) Adam's learning rate"};
    f[n++] = (nn_cfg_field){"cat_hidden", NN_CFG_INT, &s->cat_hidden, 1, 8192, NULL, NULL, 0, 0, "(b) hidden units"};
    f[n++] =
        (nn_cfg_field){"noise", NN_CFG_REAL, &s->noise, 0, 10, NULL, NULL, 0, 0, "(b) standard deviation of the pixel noise"};
    f[n++] = (nn_cfg_field){"cat_epochs", NN_CFG_INT, &s->cat_epochs, 1, 10000, NULL, NULL, 0, 0, "(b) epochs"};
    f[n++] = (nn_cfg_field){"cat_batch", NN_CFG_INT, &s->cat_batch, 1, 4096, NULL, NULL, 0, 0, "(b) mini-batch size"};
    f[n++] = (nn_cfg_field){"cat_lr", NN_CFG_REAL, &s->cat_lr, 1e-8, 10, NULL, NULL, 0, 0, "(b) Adam's learning rate"};
    f[n++] = (nn_cfg_field){"ls_depth", NN_CFG_INT, &s->ls_depth, 2, NN_MAX_HIDDEN, NULL, NULL, 0, 0, "(c) hidden layers"};
    f[n++] = (nn_cfg_field){"ls_width", NN_CFG_INT, &s->ls_width, 1, 4096, NULL, NULL, 0, 0, "(c) units per hidden layer"};
    f[n++] = (nn_cfg_field){"ls_epochs", NN_CFG_INT, &s->ls_epochs, 1, 10000, NULL, NULL, 0, 0, "(c) epochs"};
    f[n++] = (nn_cfg_field){"ls_batch", NN_CFG_INT, &s->ls_batch, 2, 4096, NULL, NULL, 0, 0, "(c) mini-batch size"};
    f[n++] = (nn_cfg_field){"ls_lr", NN_CFG_REAL, &s->ls_lr, 1e-8, 10, NULL, NULL, 0, 0, "(c) learning rate (momentum 0.9)"};
    f[n++] =
        (nn_cfg_field){"ls_grid", NN_CFG_INT, &s->ls_grid, 5, 201, NULL, NULL, 0, 0, "(c) grid points per axis, over [−1, 1]"};
    f[n++] = (nn_cfg_field){"ls_probe", NN_CFG_INT, &s->ls_probe, 10, 100000, NULL, NULL, 0, 0,
                            "(c) training images the surface is evaluated on"};
    return n;
}

static const nn_exp_def def = {"skips", "Skip connections: learning the identity plain against residual, a concatenation skip "
                               "for a dense-output task, and the loss landscape of plain and residual nets.",
                               NN_EXP_BUILTIN_CONFIG, sizeof(settings), fields};

/* ---- (a) and (b): a training loop for real-valued targets ------------------------------ */

/* One step of `net` on rows X (B, d) with targets T (B, n_out). Returns the loss before the step. */
static double fit_step(nn_net *net, nn_optim *o, const nn_real *X, const nn_real *T, int B)
{
    nn_net_forward(net, X, B, NN_TRAIN);
    double loss = nn_net_loss(net, T, 1);
    nn_net_zero_grad(net);
    nn_net_backward(net);
    nn_optim_step(o, net, o->lr);
    return loss;
}

/* Mean loss over rows X (n, d) with targets T in chunks of max_batch (evaluation mode). */
static double eval_loss(nn_net *net, const nn_real *X, const nn_real *T, int n)
{
    const int d = net->n_input, K = nn_net_n_out(net);
    double sum = 0;
    for (int at = 0; at < n; at += net->max_batch) {
        int B = nn_min_i(net->max_batch, n - at);
        nn_net_forward(net, X + (size_t)at * d, B, NN_EVAL);
        sum += B * nn_net_loss(net, T + (size_t)at * K, 0);
    }
    return sum / n;
}

/* share (%) of pixels whose sigmoid output is on the wrong side of 0.5 */
static double pixel_error(nn_net *net, const nn_real *X, const nn_real *T, int n)
{
    const int d = net->n_input, K = nn_net_n_out(net);
    long wrong = 0;
    for (int at = 0; at < n; at += net->max_batch) {
        int B = nn_min_i(net->max_batch, n - at);
        nn_net_forward(net, X + (size_t)at * d, B, NN_EVAL);
        const nn_real *y = nn_net_output_values(net);
        for (size_t k = 0; k < (size_t)B * K; k++) wrong += (y[k] > 0.5) != (T[(size_t)at * K + k] > 0.5);
    }
    return 100.0 * wrong / ((double)n * K);
}

/* ---- (c): the landscape ------------------------------------------------------------------ */

/* A filter-normalized random direction: for every dense layer, each unit's row drawn N(0, 1) and rescaled
 * to the norm of that unit's weights; every other parameter 0. */
static void direction(const nn_net *net, nn_rng *rng, nn_real *dir)
{
    memset(dir, 0, net->n_params * sizeof *dir);
    for (int i = 0; i < net->n_layers; i++) {
        const nn_layer *L = &net->layers[i];
        if (L->kind != NN_L_DENSE) continue;
        nn_real *D = dir + (L->W - net->params);
        for (int u = 0; u < L->n; u++) {
            double dn = 0, wn = 0;
            for (int k = 0; k < L->n_in; k++) {
                double g = nn_rng_gauss(rng);
                D[(size_t)u * L->n_in + k] = (nn_real)g;
                dn += g * g, wn += (double)L->W[(size_t)u * L->n_in + k] * L->W[(size_t)u * L->n_in + k];
            }
            double sc = dn > 0 ? sqrt(wn / dn) : 0;
            for (int k = 0; k < L->n_in; k++) D[(size_t)u * L->n_in + k] *= (nn_real)sc;
        }
    }
}

/* the surface on the grid (G × G, row-major over β then α) and its non-convexity */
static double landscape(nn_net *net, const nn_dataset *probe, int G, uint64_t seed, double *surf)
{
    const size_t P = net->n_params;
    nn_real *theta = malloc(P * sizeof *theta), *d1 = malloc(P * sizeof *d1), *d2 = malloc(P * sizeof *d2);
    memcpy(theta, net->params, P * sizeof *theta);
    nn_rng rng;
    nn_rng_seed(&rng, seed ^ 0x5eed5eedULL);
    direction(net, &rng, d1);
    direction(net, &rng, d2);
    for (int j = 0; j < G; j++)
        for (int i = 0; i < G; i++) {
            const double a = -1 + 2.0 * i / (G - 1), b = -1 + 2.0 * j / (G - 1);
            for (size_t k = 0; k < P; k++) net->params[k] = (nn_real)(theta[k] + a * d1[k] + b * d2[k]);
            double loss, acc;
            nn_evaluate(net, probe, 0, NN_EVAL, &loss, &acc);
            surf[(size_t)j * G + i] = isfinite(loss) ? loss : NAN;
        }
    memcpy(net->params, theta, P * sizeof *theta);
    /* non-convexity: mean over interior points of |min(λ_min, 0)| / |λ_max| of the 2 × 2 finite-difference Hessian */
    const double h = 2.0 / (G - 1);
    double sum = 0;
    int cnt = 0;
    for (int j = 1; j < G - 1; j++)
        for (int i = 1; i < G - 1; i++) {
            const double *z = surf;
            double c = z[(size_t)j * G + i];
            double faa = (z[(size_t)j * G + i + 1] - 2 * c + z[(size_t)j * G + i - 1]) / (h * h);
            double fbb = (z[(size_t)(j + 1) * G + i] - 2 * c + z[(size_t)(j - 1) * G + i]) / (h * h);
            double fab = (z[(size_t)(j + 1) * G + i + 1] - z[(size_t)(j + 1) * G + i - 1] - z[(size_t)(j - 1) * G + i + 1] +
                          z[(size_t)(j - 1) * G + i - 1]) / (4 * h * h);
            double tr = faa + fbb, det = faa * fbb - fab * fab, disc = sqrt(fmax(tr * tr / 4 - det, 0));
            double l1 = tr / 2 + disc, l2 = tr / 2 - disc; /* l1 ≥ l2 */
            double big = fmax(fabs(l1), fabs(l2));
            if (!isfinite(big) || big == 0) continue;
            sum += fabs(fmin(l2, 0)) / big, cnt++;
        }
    free(theta), free(d1), free(d2);
    return cnt ? sum / cnt : NAN;
}

/* ---- the cells ------------------------------------------------------------------------------ */

/* (a) one net on the identity or the permutation, one seed: test samples, then fresh training samples every step,
 * from the stream seed + 7; the permutation from its own stream seed + 11 */
static void identity_cell(nn_exp *e, const nn_cell *c, const settings *s)
{
    const int D = s->id_dim, NT = 1000, task = s->task;
    nn_real *X = malloc((size_t)s->id_batch * D * sizeof *X), *XT = malloc((size_t)NT * D * sizeof *XT);
    nn_real *T = malloc((size_t)s->id_batch * D * sizeof *T), *TT = malloc((size_t)NT * D * sizeof *TT);
    int *perm = malloc((size_t)D * sizeof *perm);
    double *sign = malloc((size_t)D * sizeof *sign), cv[N_MARKS + 1], step[N_MARKS + 1];
    nn_rng rng;
    nn_rng_seed(&rng, c->seed + 7);
    for (int i = 0; i < NT * D; i++) XT[i] = (nn_real)nn_rng_gauss(&rng);
    if (task) { /* a fixed signed permutation per seed, drawn from its own stream */
        nn_rng pr;
        nn_rng_seed(&pr, c->seed + 11);
        for (int i = 0; i < D; i++) perm[i] = i, sign[i] = nn_rng_uniform(&pr) < 0.5 ? -1 : 1;
        for (int i = D - 1; i > 0; i--) {
            int j = (int)(nn_rng_uniform(&pr) * (i + 1));
            if (j > i) j = i;
            int t = perm[i];
            perm[i] = perm[j], perm[j] = t;
        }
        for (int n = 0; n < NT; n++)
            for (int i = 0; i < D; i++) TT[(size_t)n * D + i] = (nn_real)(sign[i] * XT[(size_t)n * D + perm[i]]);
    }
    nn_init he = {NN_INIT_HE_NORMAL, 1.0}, zero = {NN_INIT_ZERO, 1.0};
    nn_mlp_spec sp = {.n_input = D, .n_output = D, .n_hidden = s->id_depth, .out_act = NN_LINEAR, .loss = NN_LOSS_QUADRATIC,
                      .w_init = he, .b_init = zero, .residual = s->residual, .batchnorm = s->id_batchnorm, .bn_eps = 1e-5,
                      .bn_momentum = 0.1};
    for (int l = 0; l < s->id_depth; l++) sp.hidden[l] = s->id_width, sp.act[l] = NN_RELU;
    nn_net *net = nn_exp_build(&sp, nn_max_i(s->id_batch, 250), c->seed);
    nn_optim o = {.kind = NN_OPT_ADAM, .lr = s->id_lr};
    nn_optim_init(&o, net);
    for (int t = 0, m = 0; t <= s->id_steps; t++) {
        if (t == (long)s->id_steps * m / N_MARKS) { /* mean squared error per coordinate */
            const double mse = eval_loss(net, XT, task ? TT : XT, NT) * 2 / D;
            while (m <= N_MARKS && t == (long)s->id_steps * m / N_MARKS) cv[m++] = mse; /* id_steps < N_MARKS */
        }
        if (t == s->id_steps) break;
        for (int i = 0; i < s->id_batch * D; i++) X[i] = (nn_real)nn_rng_gauss(&rng);
        if (task)
            for (int n = 0; n < s->id_batch; n++)
                for (int i = 0; i < D; i++) T[(size_t)n * D + i] = (nn_real)(sign[i] * X[(size_t)n * D + perm[i]]);
        fit_step(net, &o, X, task ? T : X, s->id_batch);
    }
    for (int i = 0; i <= N_MARKS; i++) step[i] = (double)s->id_steps * i / N_MARKS;
    nn_measure_series(e, c, "mse", cv, N_MARKS + 1);
    nn_measure_series(e, c, "step", step, N_MARKS + 1);
    const double final = nn_net_params_finite(net) ? cv[N_MARKS] : NAN;
    nn_measure(e, c, "final_mse", final);
    if (s->residual) /* the plain net of this seed ran just before, on the same samples */
        nn_measure(e, c, "log10_mse_plain_over_residual", log10(nn_grid_values(e, s->plain, "final_mse")[c->r] / final));
    nn_optim_free(&o);
    nn_net_free(net);
    free(X), free(XT), free(T), free(TT), free(perm), free(sign);
}

/* (b) one of the three nets, one seed: the training images with fresh noise from the stream seed + 99, which
 * then shuffles them each epoch */
static void concat_cell(nn_exp *e, const nn_cell *c, const settings *s, const context *x)
{
    const nn_dataset *tr = &e->data.train;
    const int d = tr->d, H = s->variant == 2 ? x->H_wide : s->cat_hidden;
    nn_real *Xn = malloc((size_t)tr->n * d * sizeof *Xn), *Tt = malloc((size_t)tr->n * d * sizeof *Tt);
    nn_real *bx = malloc((size_t)s->cat_batch * d * sizeof *bx), *bt = malloc((size_t)s->cat_batch * d * sizeof *bt);
    int *idx = malloc((size_t)tr->n * sizeof *idx);
    nn_rng rng;
    nn_rng_seed(&rng, c->seed + 99);
    for (size_t k = 0; k < (size_t)tr->n * d; k++)
        Xn[k] = (nn_real)(tr->X[k] + s->noise * nn_rng_gauss(&rng)), Tt[k] = tr->X[k] > 0.5f;
    nn_net *net = nn_net_new(d);
    nn_net_dense(net, H, 1, (nn_init){NN_INIT_HE_NORMAL, 1.0}, (nn_init){NN_INIT_ZERO, 1.0});
    nn_net_act(net, NN_RELU);
    if (s->variant == 1) nn_net_concat(net, -1); /* the input appended to the hidden layer */
    nn_net_dense(net, d, 1, (nn_init){NN_INIT_GLOROT_NORMAL, 1.0}, (nn_init){NN_INIT_ZERO, 1.0});
    nn_net_act(net, NN_SIGMOID);
    nn_net_output(net, NN_LOSS_LOGLOSS, 1.0);
    nn_exp_finalize(net, nn_max_i(s->cat_batch, 100), c->seed);
    nn_optim o = {.kind = NN_OPT_ADAM, .lr = s->cat_lr};
    nn_optim_init(&o, net);
    for (int i = 0; i < tr->n; i++) idx[i] = i;
    for (int ep = 0; ep < s->cat_epochs; ep++) {
        nn_rng_shuffle(&rng, idx, tr->n);
        for (int at = 0; at + s->cat_batch <= tr->n; at += s->cat_batch) {
            for (int b = 0; b < s->cat_batch; b++) {
                memcpy(bx + (size_t)b * d, Xn + (size_t)idx[at + b] * d, (size_t)d * sizeof *bx);
                memcpy(bt + (size_t)b * d, Tt + (size_t)idx[at + b] * d, (size_t)d * sizeof *bt);
            }
            fit_step(net, &o, bx, bt, s->cat_batch);
        }
    }
    nn_measure(e, c, "pixel_error_pct", nn_net_params_finite(net) ? pixel_error(net, x->XnT, x->TtT, e->data.test.n) : NAN);
    nn_measure(e, c, "parameters", (double)net->n_params);
    nn_measure(e, c, "hidden", H);
    nn_optim_free(&o);
    nn_net_free(net);
    free(Xn), free(Tt), free(bx), free(bt), free(idx);
}

/* (c) one net, one seed: trained with momentum, then its surface (not when it diverged) */
static void landscape_cell(nn_exp *e, const nn_cell *c, const settings *s, const context *x)
{
    const nn_dataset *tr = &e->data.train;
    const int G = s->ls_grid;
    nn_mlp_spec sp = {.n_input = tr->d, .n_output = tr->n_classes, .n_hidden = s->ls_depth, .out_act = NN_SOFTMAX,
                      .loss = NN_LOSS_SOFTMAX_CE, .w_init = {NN_INIT_HE_NORMAL, 1.0}, .b_init = {NN_INIT_ZERO, 1.0},
                      .batchnorm = 1, .bn_eps = 1e-5, .bn_momentum = 0.1, .residual = s->residual};
    for (int l = 0; l < s->ls_depth; l++) sp.hidden[l] = s->ls_width, sp.act[l] = NN_RELU;
    nn_net *net = nn_exp_build(&sp, nn_max_i(s->ls_batch, 200), c->seed);
    nn_optim o = {.kind = NN_OPT_MOMENTUM, .lr = s->ls_lr, .momentum = 0.9};
    nn_history h;
    nn_cell_train_net(e, c, net, &o, (nn_train_cfg){.epochs = s->ls_epochs, .batch = s->ls_batch}, &h);
    nn_measure(e, c, "test_acc_pct", 100 * nn_exp_final(&h, offsetof(nn_epoch, test_acc)));
    double *surf = malloc((size_t)G * G * sizeof *surf), nonconvex = NAN;
    if (!h.diverged) {
        nonconvex = landscape(net, &x->probe, G, c->seed, surf);
        nn_measure_series(e, c, "surface", surf, (long)G * G);
    }
    nn_measure(e, c, "nonconvexity", nonconvex);
    free(surf);
    nn_history_free(&h);
    nn_net_free(net);
}

/* per seed, one measure of condition a minus that of condition b */
typedef struct pair {
    const char *measure;
    int a, b;
} pair;
static double pair_diff(nn_exp *e, int r, void *ctx)
{
    const pair *p = ctx;
    return nn_grid_values(e, p->a, p->measure)[r] - nn_grid_values(e, p->b, p->measure)[r];
}

static int cell(nn_exp *e, const nn_cell *c, void *ctx)
{
    const settings *s = c->set;
    if (s->part == IDENTITY) identity_cell(e, c, s);
    else if (s->part == CONCAT) concat_cell(e, c, s, ctx);
    else landscape_cell(e, c, s, ctx);
    return 0;
}

static int run(nn_exp *e, void *set)
{
    settings *s = set;
    int rc;
    const nn_dataset *tr = &e->data.train, *te = &e->data.test;
    const int d = tr->d, H = s->cat_hidden;
    context x = {.H_wide = H, .probe = *tr};
    const long params_cat = (long)d * H + H + (long)(H + d) * d + d;
    while (2L * d * x.H_wide + x.H_wide + d < params_cat) x.H_wide++;
    x.XnT = malloc((size_t)te->n * d * sizeof *x.XnT), x.TtT = malloc((size_t)te->n * d * sizeof *x.TtT);
    nn_rng trng;
    nn_rng_seed(&trng, 12345);
    for (size_t k = 0; k < (size_t)te->n * d; k++)
        x.XnT[k] = (nn_real)(te->X[k] + s->noise * nn_rng_gauss(&trng)), x.TtT[k] = te->X[k] > 0.5f;
    x.probe.n = nn_min_i(tr->n, s->ls_probe);

    const char *arch[2] = {"plain", "residual"}, *task[2] = {"identity", "permutation"};
    s->part = IDENTITY;
    for (s->task = 0; s->task < 2; s->task++)
        for (s->residual = 0; s->residual < 2; s->residual++) {
            s->plain = s->residual ? nn_grid_n(e) - 1 : -1;
            nn_grid_condition(e, nn_exp_str(e, "%s-%s", task[s->task], arch[s->residual]),
                              nn_exp_str(e, "%s, %s, %d × %d", task[s->task], arch[s->residual], s->id_depth, s->id_width), s,
                              task[s->task], s->residual);
        }
    const int ID_RES = 1, PERM_RES = 3, SKIP = 5, WIDE = 6, LS_PLAIN = 7, LS_RES = 8; /* in their order */
    const char *cat_name[3] = {"no-skip", "concat-skip", "no-skip-wide"},
               *cat_label[3] = {"no skip", "concatenation skip", "no skip, as many parameters"};
    s->part = CONCAT;
    for (s->variant = 0; s->variant < 3; s->variant++)
        nn_grid_condition(e, cat_name[s->variant], cat_label[s->variant], s, "concatenation", s->variant);
    s->part = LANDSCAPE;
    for (s->residual = 0; s->residual < 2; s->residual++)
        nn_grid_condition(e, nn_exp_str(e, "landscape-%s", arch[s->residual]),
                          nn_exp_str(e, "landscape, %s, %d × %d", arch[s->residual], s->ls_depth, s->ls_width), s,
                          "landscape", s->residual);
    rc = nn_grid_run(e, cell, &x);
    free(x.XnT), free(x.TtT);
    if (rc >= 0) return rc;

    /* the numbers the claims (experiments/skips.json) read beyond the cells' measures */
    nn_grid_per_seed(e, "log10_ratio_identity_minus_permutation", pair_diff,
                     &(pair){"log10_mse_plain_over_residual", ID_RES, PERM_RES});
    nn_grid_per_seed(e, "pixel_error_wide_minus_skip", pair_diff, &(pair){"pixel_error_pct", WIDE, SKIP});
    nn_grid_derived(e, "wide_hidden", x.H_wide);
    nn_grid_derived(e, "wide_parameters", 2.0 * d * x.H_wide + x.H_wide + d);
    nn_grid_derived(e, "skip_parameters", params_cat);
    double m_plain, m_res, sd_ls;
    nn_grid_mean_std(e, LS_PLAIN, "test_acc_pct", &m_plain, &sd_ls);
    nn_grid_mean_std(e, LS_RES, "test_acc_pct", &m_res, &sd_ls);
    nn_grid_derived(e, "landscape_acc_residual_minus_plain", m_res - m_plain);
    nn_grid_derived(e, "landscape_acc_resolution", nn_exp_resolution_pct(e, m_res));
    return -1;
}

int main(int argc, char **argv) { return nn_exp_main(&def, run, argc, argv); }
