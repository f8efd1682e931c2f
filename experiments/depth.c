/* depth — does a deeper net classify digits better? (seed 001, from Nielsen ch. 5)
 *
 * Seed 001's table (Nielsen's sigmoid nets of 30-unit hidden layers on MNIST, softmax +
 * cross-entropy, SGD with L2 weight decay): no hidden layer ≈ 88 %, one ≈ 96.5 %, two ≈ 96.9 %,
 * three and four ≈ 96.5 %. Depth stops paying after two layers: on its way back the error is
 * multiplied at every layer by a weight matrix and by σ′ ≤ 1/4, so it shrinks towards the input
 * and a sigmoid net's first layers learn slowly; deeper nets also start slower. Without a
 * non-linearity (seed 004) depth buys nothing: a stack of linear layers is one linear map.
 * Nielsen minimises C + (λ/2n)‖w‖² with λ = 5 and n = 50,000, his training-set size. The decay
 * per weight, λ/n, is what matters, so the lab divides λ by `l2_n` = 50,000 whatever it trains
 * on (dividing by our 7,008 digits would decay 7× harder, and the deep sigmoid nets would then
 * collapse for a reason that is not depth).
 *
 * The conditions are arm × depth (group: the arm, x: its number of hidden layers; depth d uses
 * the first d widths of `hidden`). "plain" is the lecture's net; the other arms of
 * experiments/depth.json override settings (ReLU + He, batch norm, linear layers). Each cell
 * trains one net and records its final test and training accuracy, its test accuracy after one
 * epoch, and its accuracies per epoch. The lecture's claims are about the plain arm (each
 * statement names the activation that ran), the linear-model claim about every linear arm.
 */
#include <math.h>
#include <string.h>

#include "nnlab.h"

static const double lecture_acc[5] = {88.0, 96.5, 96.9, 96.5, 96.5}; /* seed 001's table, % */

typedef struct settings {
    nn_exp_common common;
    nn_netcfg net;
    int depths[NN_MAX_HIDDEN + 1], n_depths;
    double l2_n;
    int depth;       /* a condition's: its number of hidden layers, */
    nn_mlp_spec spec; /* its arm's net at that depth, */
    nn_optim opt;    /* and its arm's optimizer (decay λ/l2_n) */
} settings;

/* network keys the program sets itself */
static const nn_cfg_refusal not_honoured[] = {{NULL, NULL}}; /* every network key reaches the nets */

static int fields(void *p, nn_cfg_field *f, nn_cfg_refusal *r, int *n_r)
{
    settings *s = p;
    int n = nn_exp_common_fields(&s->common, f);
    n += nn_netcfg_fields_except(&s->net, f + n, not_honoured, r, n_r);
    f[n++] = (nn_cfg_field){"depths", NN_CFG_INT_LIST, s->depths, 0, NN_MAX_HIDDEN, NULL, &s->n_depths, NN_MAX_HIDDEN + 1, 1,
                            "numbers of hidden layers to compare (depth d uses the first d widths of 'hidden')"};
    f[n++] = (nn_cfg_field){"l2_n", NN_CFG_REAL, &s->l2_n, 1, 1e9, NULL, NULL, 0, 0,
                            "the n of the penalty (λ/2n)‖w‖² (Nielsen: his 50,000 training images)"};
    return n;
}

static const nn_exp_def def = {"depth", "Test accuracy against the number of hidden layers, in each arm.", NN_EXP_BUILTIN_CONFIG,
                               sizeof(settings), fields};

/* "sigmoid", "relu", or "sigmoid/tanh/…" when layers differ */
static const char *act_name(nn_exp *e, const nn_netcfg *c)
{
    if (c->n_activation == 1) return c->activation[0];
    const char *s = "";
    for (int k = 0; k < c->n_activation; k++) s = nn_exp_str(e, "%s%s%s", s, k ? "/" : "", c->activation[k]);
    return s;
}

static double lecture(int d) { return d <= 4 ? lecture_acc[d] : NAN; }

static int cell(nn_exp *e, const nn_cell *c, void *ctx)
{
    const settings *s = c->set;
    (void)ctx;
    nn_history h;
    nn_train_cfg tc = {.epochs = s->net.epochs, .batch = s->net.batch, .eval_train = 1};
    nn_net_free(nn_cell_train(e, c, &s->spec, &s->opt, tc, &h));
    nn_measure(e, c, "test_acc", 100 * nn_exp_final(&h, offsetof(nn_epoch, test_acc)));
    nn_measure(e, c, "train_acc", 100 * nn_exp_final(&h, offsetof(nn_epoch, train_acc)));
    nn_measure(e, c, "epoch1_acc", h.n_epochs > 0 ? 100 * h.ep[0].test_acc : NAN);
    /* not measurements but the cell's context: the lecture's accuracy at this depth (the figure's circles) and the
     * decay per weight the net trained with */
    nn_measure(e, c, "lecture_acc", lecture(s->depth));
    nn_measure(e, c, "l2_per_weight", s->opt.l2);
    nn_history_free(&h);
    return 0;
}

/* The plain arm's condition at each depth 0 … 4 (−1: none), for the numbers computed across depths. */
typedef struct plain_at {
    int at[5];
} plain_at;

/* Per seed, the largest epoch-1 gain from adding a layer, over the pairs (d, d+1), 1 ≤ d ≤ 3, whose shallower net
 * has left chance after one epoch: two nets both at chance are a tie that says nothing about speed. */
static double slowest_gain(nn_exp *e, int r, void *ctx)
{
    const plain_at *p = ctx;
    const double chance = nn_exp_chance_pct(e);
    double worst = -INFINITY;
    int pairs = 0;
    for (int d = 1; d < 4; d++) {
        if (p->at[d] < 0 || p->at[d + 1] < 0) continue;
        const double g0 = nn_grid_values(e, p->at[d], "epoch1_acc")[r], g1 = nn_grid_values(e, p->at[d + 1], "epoch1_acc")[r];
        if (isfinite(g0) && isfinite(g1) && g0 > chance + 5) worst = fmax(worst, g1 - g0), pairs++;
    }
    return pairs ? worst : NAN;
}

/* A linear arm's conditions: the first of its D depths, and its depth-0 condition z (−1: none). */
typedef struct linear_arm {
    int first, D, z;
    const int *depths;
} linear_arm;

/* Per seed, the best final test accuracy over the arm's depths ≥ 1 minus depth 0's (NaN: no depth 0 or none above). */
static double best_linear_gain(nn_exp *e, int r, void *ctx)
{
    const linear_arm *la = ctx;
    double best = -INFINITY;
    int deeper = 0;
    for (int di = 0; di < la->D && la->z >= 0; di++)
        if (la->depths[di] > 0)
            best = fmax(best, nn_grid_values(e, la->first + di, "test_acc")[r] - nn_grid_values(e, la->z, "test_acc")[r]),
            deeper++;
    return deeper ? best : NAN;
}

static int run(nn_exp *e, void *set)
{
    settings *s = set;
    int rc;
    for (int i = 0; i < s->n_depths; i++) {
        if (s->depths[i] > s->net.n_hidden)
            return nn_exp_fail(e, 2, "depth %d needs %d widths in 'hidden', which lists %d", s->depths[i], s->depths[i],
                               s->net.n_hidden);
        for (int j = 0; j < i; j++)
            if (s->depths[j] == s->depths[i]) return nn_exp_fail(e, 2, "'depths' lists %d twice", s->depths[i]);
    }
    const int S = e->S, D = s->n_depths, A = e->n_arms;
    const char **title = nn_exp_alloc(e, (size_t)A, sizeof *title);
    for (int a = 0; a < A; a++) {
        settings c = *(const settings *)e->arm_set[a];
        title[a] = nn_exp_str(e, "%s: %s, %s%s", e->arm_name[a], act_name(e, &c.net), c.net.init,
                              c.net.batchnorm ? ", batch norm" : "");
        if (nn_netcfg_optim(&c.net, &c.opt)) return nn_exp_fail(e, 2, "arm '%s': %s", e->arm_name[a], nn_error());
        c.opt.l2 = c.net.l2 / s->l2_n;
        /* the arm is the figures' group: its name, when a figure can take it as a word */
        const char *n = e->arm_name[a], *ok = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.";
        const char *group = *n && !n[strspn(n, ok)] ? n : nn_exp_str(e, "arm%d", a + 1);
        for (int di = 0; di < D; di++) {
            nn_netcfg net = c.net;
            c.depth = net.n_hidden = s->depths[di];
            if (net.n_activation > c.depth && net.n_activation != 1) net.n_activation = c.depth;
            if (nn_netcfg_spec(&net, e->data.train.d, e->data.train.n_classes, &c.spec))
                return nn_exp_fail(e, 2, "arm '%s', depth %d: %s", e->arm_name[a], c.depth, nn_error());
            nn_grid_condition(e, nn_exp_str(e, "%s-%d", n, c.depth), nn_exp_str(e, "%s, depth %d", title[a], c.depth), &c,
                              group, c.depth);
        }
    }
    if ((rc = nn_grid_run(e, cell, NULL)) >= 0) return rc;

    /* the table: one row per depth, one column per arm */
    const int pa = nn_exp_arm_index(e, "plain");
    const char **cols = nn_exp_alloc(e, (size_t)A + 3, sizeof(char *)), **txt = nn_exp_alloc(e, (size_t)A + 3, sizeof(char *));
    double *num = nn_exp_alloc(e, (size_t)A + 3, sizeof(double));
    cols[0] = "hidden layers", cols[1] = "lecture (Nielsen)";
    for (int a = 0; a < A; a++) cols[2 + a] = title[a];
    cols[2 + A] = pa >= 0 ? nn_exp_str(e, "%s, epoch 1", title[pa]) : "plain arm, epoch 1";
    cJSON *rows = nn_exp_table(e, nn_exp_str(e, "Final test accuracy (%%) after %d epochs, mean ± std over %d seeds; the "
                                                  "lecture's table used 50,000 training images, this run %d",
                                              s->net.epochs, S, e->data.train.n),
                               A + 3, cols);
    for (int di = 0; di < D; di++) {
        double m, sd;
        num[0] = s->depths[di], num[1] = lecture(s->depths[di]), num[2 + A] = NAN;
        for (int a = 0; a < A; a++) {
            int k = nn_grid_mean_std(e, a * D + di, "test_acc", &m, &sd);
            txt[2 + a] = k == 0  ? "diverged"
                         : k < S ? nn_exp_str(e, "%.2f ± %.2f (%d of %d seeds)", m, sd, k, S)
                                 : nn_exp_str(e, "%.2f ± %.2f", m, sd);
        }
        if (pa >= 0) nn_grid_mean_std(e, pa * D + di, "epoch1_acc", &num[2 + A], &sd);
        nn_grid_row(rows, A + 3, txt, num);
    }

    /* the numbers the plain arm's claims (experiments/depth.json) judge beyond its measures: the epoch-1 gains per
     * seed, and the control of "depth d is no better than 2" — the skeptic says the deeper net is no better only
     * because it has not finished training in this budget, which is ruled out when it fits its training set as well
     * as the 2-layer net: final training accuracy (mean over seeds) no lower by more than the training set resolves */
    plain_at p;
    int pos[5] = {-1, -1, -1, -1, -1};
    for (int di = 0; di < D; di++)
        if (s->depths[di] <= 4) pos[s->depths[di]] = di;
    for (int d = 0; d < 5; d++) p.at[d] = pa >= 0 && pos[d] >= 0 ? pa * D + pos[d] : -1;
    nn_grid_per_seed(e, "epoch1_slowest_gain", slowest_gain, &p);
    double m2 = NAN, md, sd;
    if (p.at[2] >= 0) nn_grid_mean_std(e, p.at[2], "train_acc", &m2, &sd);
    nn_grid_derived(e, "train_acc_resolution_2", nn_exp_resolution_n(m2, e->data.train.n));
    for (int d = 3; d <= 4; d++) {
        md = NAN;
        if (p.at[d] >= 0) nn_grid_mean_std(e, p.at[d], "train_acc", &md, &sd);
        nn_grid_derived(e, nn_exp_str(e, "train_acc_gap_%d", d), md - m2);
    }

    /* seed 004: without a non-linearity depth buys nothing — a stack of linear layers is one linear
     * map (of rank at most the narrowest width). For every arm whose hidden layers are all linear:
     * per seed, the best of depths 1… minus depth 0, against what the test set can resolve. */
    for (int a = 0; a < A; a++) {
        const nn_netcfg *c = &((const settings *)e->arm_set[a])->net;
        int linear = 1;
        for (int k = 0; k < c->n_activation; k++) linear &= !strcmp(c->activation[k], "linear");
        if (!linear) continue;
        linear_arm la = {.first = a * D, .D = D, .depths = s->depths, .z = pos[0] >= 0 ? a * D + pos[0] : -1};
        int deeper = 0;
        for (int di = 0; di < D; di++) deeper += s->depths[di] > 0;
        const double *gain = nn_grid_per_seed(e, nn_exp_str(e, "linear_gain[%s]", e->arm_name[a]), best_linear_gain, &la);
        const int z = la.z;
        double m0 = NAN, sd0;
        if (z >= 0) nn_grid_mean_std(e, z, "test_acc", &m0, &sd0);
        const double tol = nn_exp_resolution_pct(e, m0);
        nn_claim cl = {.kind = NN_LECTURE, .id = nn_exp_str(e, "deep-linear-no-better[%s]", e->arm_name[a]),
                       .statement = nn_exp_str(e, "A deep linear net is a linear model: with linear hidden layers (arm %s) no "
                                                   "depth beats no hidden layer by more than the %d test images resolve "
                                                   "(%.2f points)", e->arm_name[a], e->data.test.n, tol),
                       .source = "seed 004 (the activation must be non-linear)",
                       .quantity = "best final test accuracy over the depths ≥ 1 minus depth 0 (same seed), points", .op = "<=",
                       .threshold = tol,
                       .unmeasured = pos[0] < 0 || !deeper ? "'depths' does not list 0 and a depth above it" : NULL,
                       .rule_note = "The tolerance is two standard errors of a difference of two accuracies p on n test images, "
                                    "2 sqrt(2p(1 - p)/n), with p the depth-0 net's mean accuracy."};
        nn_exp_require_trained(e, &cl,
                               "the linear net without a hidden layer leaves chance (lowest final test accuracy over seeds, %)",
                               z >= 0 ? nn_exp_worst(e, nn_grid_values(e, z, "test_acc")) : NAN);
        nn_exp_claim_seeds(e, &cl, gain);
    }
    return -1;
}

int main(int argc, char **argv) { return nn_exp_main(&def, run, argc, argv); }
