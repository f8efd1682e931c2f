/* skips — seed 003's skip connections: the identity, concatenation, and the loss landscape.
 *
 *   (a) "Identity seems to be a rather difficult mapping to learn": a net of `id_depth` hidden ReLU
 *       layers of `id_width` units is trained to output its own input, x ~ N(0, I) of dimension
 *       `id_dim` (width 2·dim lets a plain ReLU stack represent the identity exactly, as
 *       x = ReLU(x) − ReLU(−x)), plain against residual (each block h + W·ReLU(h)), Adam, fresh
 *       samples every step. The mean squared error on 1,000 held-out samples after `id_steps`.
 *   (b) Concatenation: "append an early layer to a deeper layer … for 'annotating the input' style
 *       problems with dense outputs … even for shallow networks". A dense-output task: from a noisy
 *       digit (Gaussian noise `noise`) predict every pixel of the clean, binarized digit (> 0.5), with
 *       a sigmoid per pixel and the log-loss. 784 → `cat_hidden` ReLU → 784 without a skip; the same
 *       with the input appended to the hidden layer (a concatenation skip); and, so that parameters
 *       cannot explain the difference, the net without a skip but as wide as it needs to be to have
 *       at least as many parameters. Per-pixel error on the test images.
 *   (c) The loss landscape (Li et al. 2018, "visualizing the loss landscape of neural nets"): plain
 *       and residual nets of `ls_depth` layers of `ls_width` ReLU units with batch norm, trained for
 *       `ls_epochs`; then the training loss at θ + αδ + βη on a `ls_grid` × `ls_grid` grid over
 *       [−1, 1]², δ and η random directions, filter-normalized (each unit's incoming weights rescaled
 *       to the norm of that unit's weights; biases and batch norm's parameters not moved). The
 *       surface's non-convexity: at each interior grid point the finite-difference Hessian in (α, β);
 *       the mean of |min(λ_min, 0)| / |λ_max| over points (0: locally convex everywhere).
 *
 * Settings: experiments/skips.json (every key: bin/skips --help).
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
} settings;

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
    f[n++] = (nn_cfg_field){"noise", NN_CFG_REAL, &s->noise, 0, 10, NULL, NULL, 0, 0, "(b) standard deviation of the pixel noise"};
    f[n++] = (nn_cfg_field){"cat_epochs", NN_CFG_INT, &s->cat_epochs, 1, 10000, NULL, NULL, 0, 0, "(b) epochs"};
    f[n++] = (nn_cfg_field){"cat_batch", NN_CFG_INT, &s->cat_batch, 1, 4096, NULL, NULL, 0, 0, "(b) mini-batch size"};
    f[n++] = (nn_cfg_field){"cat_lr", NN_CFG_REAL, &s->cat_lr, 1e-8, 10, NULL, NULL, 0, 0, "(b) Adam's learning rate"};
    f[n++] = (nn_cfg_field){"ls_depth", NN_CFG_INT, &s->ls_depth, 2, NN_MAX_HIDDEN, NULL, NULL, 0, 0, "(c) hidden layers"};
    f[n++] = (nn_cfg_field){"ls_width", NN_CFG_INT, &s->ls_width, 1, 4096, NULL, NULL, 0, 0, "(c) units per hidden layer"};
    f[n++] = (nn_cfg_field){"ls_epochs", NN_CFG_INT, &s->ls_epochs, 1, 10000, NULL, NULL, 0, 0, "(c) epochs"};
    f[n++] = (nn_cfg_field){"ls_batch", NN_CFG_INT, &s->ls_batch, 2, 4096, NULL, NULL, 0, 0, "(c) mini-batch size"};
    f[n++] = (nn_cfg_field){"ls_lr", NN_CFG_REAL, &s->ls_lr, 1e-8, 10, NULL, NULL, 0, 0, "(c) learning rate (momentum 0.9)"};
    f[n++] = (nn_cfg_field){"ls_grid", NN_CFG_INT, &s->ls_grid, 5, 201, NULL, NULL, 0, 0, "(c) grid points per axis, over [−1, 1]"};
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

int main(int argc, char **argv)
{
    settings s = {0};
    nn_exp e;
    int rc = nn_exp_begin(&e, &def, &s, argc, argv);
    if (rc >= 0) return rc;
    const nn_dataset *tr = &e.data.train, *te = &e.data.test;
    const int S = e.S;
    nn_init he = {NN_INIT_HE_NORMAL, 1.0}, zero = {NN_INIT_ZERO, 1.0};

    /* ---- (a) the identity ---- */
    const int D = s.id_dim, NT = 1000;
    double *id_mse[2] = {nn_exp_vec(&e), nn_exp_vec(&e)};
    /* the control task: a signed permutation of the coordinates, T_i = ±x_π(i) — as easy to represent, of the same
     * scale, but not the identity the residual path starts from */
    double *perm_mse[2] = {nn_exp_vec(&e), nn_exp_vec(&e)};
    const int n_marks = 20;
    double *curve = nn_exp_alloc(&e, (size_t)2 * S * (n_marks + 1), sizeof(double));
    {
        nn_real *X = malloc((size_t)s.id_batch * D * sizeof *X), *XT = malloc((size_t)NT * D * sizeof *XT);
        nn_real *T = malloc((size_t)s.id_batch * D * sizeof *T), *TT = malloc((size_t)NT * D * sizeof *TT);
        int *perm = malloc((size_t)D * sizeof *perm);
        double *sign = malloc((size_t)D * sizeof *sign), *pcv = calloc((size_t)n_marks + 1, sizeof *pcv);
        for (int task = 0; task < 2; task++)
            for (int k = 0; k < 2; k++)
                for (int r = 0; r < S; r++) {
                    uint64_t seed = (uint64_t)e.seeds[r];
                    nn_rng rng;
                    nn_rng_seed(&rng, seed + 7);
                    for (int i = 0; i < NT * D; i++) XT[i] = (nn_real)nn_rng_gauss(&rng);
                    if (task) { /* a fixed signed permutation per seed, drawn from its own stream */
                        nn_rng pr;
                        nn_rng_seed(&pr, seed + 11);
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
                    nn_mlp_spec sp = {.n_input = D, .n_output = D, .n_hidden = s.id_depth, .out_act = NN_LINEAR,
                                      .loss = NN_LOSS_QUADRATIC, .w_init = he, .b_init = zero, .residual = k,
                                      .batchnorm = s.id_batchnorm, .bn_eps = 1e-5, .bn_momentum = 0.1};
                    for (int l = 0; l < s.id_depth; l++) sp.hidden[l] = s.id_width, sp.act[l] = NN_RELU;
                    nn_net *net = nn_exp_build(&sp, nn_max_i(s.id_batch, 250), seed);
                    nn_optim o = {.kind = NN_OPT_ADAM, .lr = s.id_lr};
                    nn_optim_init(&o, net);
                    double *cv = task ? pcv : curve + ((size_t)k * S + r) * (n_marks + 1);
                    for (int t = 0, m = 0; t <= s.id_steps; t++) {
                        if (t == (long)s.id_steps * m / n_marks) { /* mean squared error per coordinate */
                            const double mse = eval_loss(net, XT, task ? TT : XT, NT) * 2 / D;
                            while (m <= n_marks && t == (long)s.id_steps * m / n_marks) cv[m++] = mse; /* id_steps < n_marks */
                        }
                        if (t == s.id_steps) break;
                        for (int i = 0; i < s.id_batch * D; i++) X[i] = (nn_real)nn_rng_gauss(&rng);
                        if (task)
                            for (int n = 0; n < s.id_batch; n++)
                                for (int i = 0; i < D; i++) T[(size_t)n * D + i] = (nn_real)(sign[i] * X[(size_t)n * D + perm[i]]);
                        fit_step(net, &o, X, task ? T : X, s.id_batch);
                    }
                    (task ? perm_mse : id_mse)[k][r] = nn_net_params_finite(net) ? cv[n_marks] : NAN;
                    cJSON *run = nn_exp_add_run(&e, task ? "permutation" : "identity", k ? "residual" : "plain", seed, NULL);
                    cJSON_AddItemToObject(run, "mse", nn_json_series(cv, n_marks + 1));
                    nn_optim_free(&o);
                    nn_net_free(net);
                }
        free(X), free(XT), free(T), free(TT), free(perm), free(sign), free(pcv);
    }

    /* ---- (b) a concatenation skip for a dense-output task ---- */
    const int d = tr->d, H = s.cat_hidden;
    const long params_plain = 2L * d * H + H + d, params_cat = (long)d * H + H + (long)(H + d) * d + d;
    int H_wide = H;
    while (2L * d * H_wide + H_wide + d < params_cat) H_wide++;
    const char *cat_names[3] = {"no skip", "concatenation skip", "no skip, as many parameters"};
    double *cat_err[3] = {nn_exp_vec(&e), nn_exp_vec(&e), nn_exp_vec(&e)};
    {
        /* noisy inputs and binarized clean targets, per seed for the training set (fresh noise), fixed for the test set */
        nn_real *Xn = malloc((size_t)tr->n * d * sizeof *Xn), *Tt = malloc((size_t)tr->n * d * sizeof *Tt);
        nn_real *XnT = malloc((size_t)te->n * d * sizeof *XnT), *TtT = malloc((size_t)te->n * d * sizeof *TtT);
        nn_real *bx = malloc((size_t)s.cat_batch * d * sizeof *bx), *bt = malloc((size_t)s.cat_batch * d * sizeof *bt);
        int *idx = malloc((size_t)tr->n * sizeof *idx);
        nn_rng trng;
        nn_rng_seed(&trng, 12345);
        for (size_t k = 0; k < (size_t)te->n * d; k++)
            XnT[k] = (nn_real)(te->X[k] + s.noise * nn_rng_gauss(&trng)), TtT[k] = te->X[k] > 0.5f;
        for (int v = 0; v < 3; v++)
            for (int r = 0; r < S; r++) {
                uint64_t seed = (uint64_t)e.seeds[r];
                nn_rng rng;
                nn_rng_seed(&rng, seed + 99);
                for (size_t k = 0; k < (size_t)tr->n * d; k++)
                    Xn[k] = (nn_real)(tr->X[k] + s.noise * nn_rng_gauss(&rng)), Tt[k] = tr->X[k] > 0.5f;
                nn_net *net = nn_net_new(d);
                nn_net_dense(net, v == 2 ? H_wide : H, 1, he, zero);
                nn_net_act(net, NN_RELU);
                if (v == 1) nn_net_concat(net, -1); /* the input appended to the hidden layer */
                nn_net_dense(net, d, 1, (nn_init){NN_INIT_GLOROT_NORMAL, 1.0}, zero);
                nn_net_act(net, NN_SIGMOID);
                nn_net_output(net, NN_LOSS_LOGLOSS, 1.0);
                nn_exp_finalize(net, nn_max_i(s.cat_batch, 100), seed);
                nn_optim o = {.kind = NN_OPT_ADAM, .lr = s.cat_lr};
                nn_optim_init(&o, net);
                for (int i = 0; i < tr->n; i++) idx[i] = i;
                for (int ep = 0; ep < s.cat_epochs; ep++) {
                    nn_rng_shuffle(&rng, idx, tr->n);
                    for (int at = 0; at + s.cat_batch <= tr->n; at += s.cat_batch) {
                        for (int b = 0; b < s.cat_batch; b++) {
                            memcpy(bx + (size_t)b * d, Xn + (size_t)idx[at + b] * d, (size_t)d * sizeof *bx);
                            memcpy(bt + (size_t)b * d, Tt + (size_t)idx[at + b] * d, (size_t)d * sizeof *bt);
                        }
                        fit_step(net, &o, bx, bt, s.cat_batch);
                    }
                }
                cat_err[v][r] = nn_net_params_finite(net) ? pixel_error(net, XnT, TtT, te->n) : NAN;
                cJSON *run = nn_exp_add_run(&e, "concatenation", cat_names[v], seed, NULL);
                cJSON_AddItemToObject(run, "pixel_error_pct", nn_json_num(cat_err[v][r]));
                cJSON_AddNumberToObject(run, "parameters", (double)net->n_params);
                nn_optim_free(&o);
                nn_net_free(net);
            }
        free(Xn), free(Tt), free(XnT), free(TtT), free(bx), free(bt), free(idx);
    }

    /* ---- (c) the loss landscape ---- */
    const int G = s.ls_grid;
    nn_dataset probe = *tr;
    probe.n = nn_min_i(tr->n, s.ls_probe);
    double *nonconvex[2] = {nn_exp_vec(&e), nn_exp_vec(&e)}, *ls_acc[2] = {nn_exp_vec(&e), nn_exp_vec(&e)};
    cJSON *surfaces = cJSON_CreateObject();
    for (int k = 0; k < 2; k++)
        for (int r = 0; r < S; r++) {
            uint64_t seed = (uint64_t)e.seeds[r];
            nn_mlp_spec sp = {.n_input = d, .n_output = tr->n_classes, .n_hidden = s.ls_depth, .out_act = NN_SOFTMAX,
                              .loss = NN_LOSS_SOFTMAX_CE, .w_init = he, .b_init = zero, .batchnorm = 1, .bn_eps = 1e-5,
                              .bn_momentum = 0.1, .residual = k};
            for (int l = 0; l < s.ls_depth; l++) sp.hidden[l] = s.ls_width, sp.act[l] = NN_RELU;
            nn_net *net = nn_exp_build(&sp, nn_max_i(s.ls_batch, 200), seed);
            nn_optim o = {.kind = NN_OPT_MOMENTUM, .lr = s.ls_lr, .momentum = 0.9};
            nn_optim_init(&o, net);
            const char *label = k ? "residual" : "plain";
            nn_train_cfg tc = {.epochs = s.ls_epochs, .batch = s.ls_batch, .seed = seed,
                               .label = nn_exp_str(&e, "%s %d layers seed %llu", label, s.ls_depth, (unsigned long long)seed),
                               .progress = 1};
            nn_history h;
            nn_exp_train(net, &o, tr, te, &tc, &h);
            ls_acc[k][r] = 100 * nn_exp_final(&h, offsetof(nn_epoch, test_acc));
            double *surf = malloc((size_t)G * G * sizeof *surf);
            nonconvex[k][r] = h.diverged ? NAN : landscape(net, &probe, G, seed, surf);
            if (r == 0) cJSON_AddItemToObject(surfaces, label, nn_json_series(surf, G * G));
            cJSON *run = nn_exp_add_run(&e, "landscape", label, seed, &h);
            cJSON_AddItemToObject(run, "nonconvexity", nn_json_num(nonconvex[k][r]));
            free(surf);
            nn_history_free(&h);
            nn_optim_free(&o);
            nn_net_free(net);
        }

    /* ---- summary ---- */
    cJSON *sum = e.summary;
    cJSON *oa = cJSON_AddObjectToObject(sum, "identity");
    for (int k = 0; k < 2; k++) {
        double *m = malloc((size_t)(n_marks + 1) * sizeof *m), sd;
        for (int i = 0; i <= n_marks; i++) {
            double v[256];
            int nv = nn_min_i(S, 256);
            for (int r = 0; r < nv; r++) v[r] = curve[((size_t)k * S + r) * (n_marks + 1) + i];
            nn_mean_std(v, nv, &m[i], &sd);
        }
        cJSON_AddItemToObject(oa, k ? "residual" : "plain", nn_json_series(m, n_marks + 1));
        free(m);
    }
    {
        double st[21];
        for (int i = 0; i <= n_marks; i++) st[i] = (double)s.id_steps * i / n_marks;
        cJSON_AddItemToObject(oa, "step", nn_json_series(st, n_marks + 1));
    }
    cJSON *ob = cJSON_AddObjectToObject(sum, "concatenation");
    {
        cJSON *nm = cJSON_AddArrayToObject(ob, "name"), *ix = cJSON_AddArrayToObject(ob, "index");
        double m[3], sdv[3], pr[3] = {(double)params_plain, (double)params_cat, (double)(2L * d * H_wide + H_wide + d)};
        for (int v = 0; v < 3; v++) {
            cJSON_AddItemToArray(nm, cJSON_CreateString(cat_names[v])), cJSON_AddItemToArray(ix, cJSON_CreateNumber(v));
            nn_mean_std(cat_err[v], S, &m[v], &sdv[v]);
        }
        cJSON_AddItemToObject(ob, "pixel_error", nn_json_series(m, 3));
        cJSON_AddItemToObject(ob, "pixel_error_std", nn_json_series(sdv, 3));
        cJSON_AddItemToObject(ob, "parameters", nn_json_series(pr, 3));
        cJSON_AddNumberToObject(ob, "wide_hidden", H_wide);
    }
    cJSON *oc = cJSON_AddObjectToObject(sum, "landscape");
    cJSON_AddNumberToObject(oc, "grid", G);
    cJSON_AddItemToObject(oc, "surface", surfaces);

    /* ---- claims ---- */
    double *q1 = nn_exp_vec(&e), *q2 = nn_exp_vec(&e), *q3 = nn_exp_vec(&e), *q4 = nn_exp_vec(&e);
    for (int r = 0; r < S; r++) {
        q1[r] = log10(id_mse[0][r] / id_mse[1][r]);
        q2[r] = cat_err[0][r] - cat_err[1][r];
        q3[r] = cat_err[2][r] - cat_err[1][r];
        q4[r] = nonconvex[0][r] - nonconvex[1][r];
    }
    nn_claim a = {.kind = NN_LECTURE, .id = "identity-hard-for-plain-stack",
                  .statement = nn_exp_str(&e, "The identity is a difficult mapping for a stack of layers to learn, and easier "
                                              "with residual connections: after %d Adam steps, %d plain ReLU layers of %d%s "
                                              "reproduce their %d-dimensional input with a larger mean squared error than the "
                                              "residual net of the same depth", s.id_steps, s.id_depth, s.id_width,
                                          s.id_batchnorm ? " with batch norm" : "", D),
                  .source = "seed 003:370-392",
                  .quantity = "log10(mean squared error of the plain net / of the residual net), 1,000 held-out samples",
                  .op = ">", .threshold = 0,
                  .rule_note = "Width 2·dim: the plain ReLU stack can represent the identity exactly; what is tested is learning it."};
    {
        double *qp = nn_exp_vec(&e), *dq = nn_exp_vec(&e);
        for (int r = 0; r < S; r++) qp[r] = log10(perm_mse[0][r] / perm_mse[1][r]), dq[r] = q1[r] - qp[r];
        nn_claim_control(&a, "a deep plain stack learns any mapping worse than the residual net, not the identity in particular",
                         "the same log10 ratio on the identity minus on a signed permutation of the coordinates (T_i = ±x_π(i): "
                         "as easy to represent, not the identity), smallest over seeds",
                         nn_exp_worst(&e, dq), ">", 0);
        cJSON_AddItemToObject(sum, "log10_mse_ratio_permutation", nn_json_series(qp, S));
    }
    nn_exp_claim_seeds(&e, &a, q1);
    nn_claim b1 = {.kind = NN_LECTURE, .id = "concat-skip-helps-dense-output",
                   .statement = nn_exp_str(&e, "A concatenation skip helps a dense-output task even in a shallow net: predicting "
                                               "the clean binarized digit from a noisy one (noise %g), 784 → %d → 784 with the "
                                               "input appended to the hidden layer makes fewer pixel errors than without", s.noise, H),
                   .source = "seed 003:401-408",
                   .quantity = "test pixel error (%), no skip − concatenation skip", .op = ">", .threshold = 0};
    double q3m, q3sd;
    nn_mean_std(q3, S, &q3m, &q3sd);
    nn_claim_control(&b1, "the skip net has more parameters",
                     nn_exp_str(&e, "test pixel error of a net without the skip as large as the skip net (%d hidden units) − of "
                                    "the skip net, mean over seeds (%%)", H_wide), q3m, ">", 0);
    nn_exp_claim_seeds(&e, &b1, q2);
    nn_claim b2 = {.kind = NN_LECTURE, .id = "concat-skip-not-just-parameters",
                   .statement = nn_exp_str(&e, "… and not for its extra parameters: a net without the skip but %d hidden units "
                                               "wide (%ld parameters, against the skip net's %ld) makes more errors",
                                           H_wide, 2L * d * H_wide + H_wide + d, params_cat),
                   .source = "seed 003:401-408",
                   .quantity = "test pixel error (%), wide net without skip − concatenation skip", .op = ">", .threshold = 0,
                   .not_comparative = "it is the parameter-count control of concat-skip-helps-dense-output, judged as a claim "
                                      "of its own"};
    nn_exp_claim_seeds(&e, &b2, q3);
    nn_claim c = {.kind = NN_LECTURE, .id = "residual-landscape-more-convex",
                  .statement = nn_exp_str(&e, "Skip connections smooth the loss landscape: around the trained %d-layer net "
                                              "(width %d, batch norm), on a filter-normalized random plane, the residual net's "
                                              "surface is less non-convex than the plain net's", s.ls_depth, s.ls_width),
                  .source = "seed 003:393-397,420; Li et al. 2018",
                  .quantity = "mean |min(λ_min, 0)| / |λ_max| of the surface's 2 × 2 Hessian over the grid, plain − residual",
                  .op = ">", .threshold = 0};
    nn_exp_require_trained(&e, &c, "the plain net leaves chance (lowest over seeds, %)", nn_exp_worst(&e, ls_acc[0]));
    double m_plain, m_res, sd_ls;
    nn_mean_std(ls_acc[0], S, &m_plain, &sd_ls), nn_mean_std(ls_acc[1], S, &m_res, &sd_ls);
    const double res_ls = nn_exp_resolution_pct(&e, m_res);
    nn_claim_control(&c, "the two surfaces are around a trained and a barely trained net",
                     nn_exp_str(&e, "final test accuracy, residual − plain (mean over seeds, points; the test set resolves %.2f)",
                                res_ls), m_res - m_plain, "<=", res_ls);
    nn_exp_claim_seeds(&e, &c, q4);
    return nn_exp_finish(&e);
}
