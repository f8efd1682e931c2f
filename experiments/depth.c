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
static const char *const source = "seed 001 (MNIST depth table, from Nielsen ch. 5)";

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

/* The control of "depth d is no better than 2": the skeptic says the deeper net is no better only because it has not
 * finished training in this budget. It rules that out when the deeper net fits its training set as well as the
 * 2-layer net does: its final training accuracy (mean over seeds) no lower than the 2-layer net's by more than the
 * training set resolves. `at` holds the plain arm's condition per depth (−1: none). */
static void fits_like_two(nn_exp *e, nn_claim *c, const int *at, int d)
{
    if (at[2] < 0 || at[d] < 0) return;
    double m2, md, sd;
    nn_grid_mean_std(e, at[2], "train_acc", &m2, &sd), nn_grid_mean_std(e, at[d], "train_acc", &md, &sd);
    const double res = nn_exp_resolution_n(m2, e->data.train.n);
    nn_claim_control(c, nn_exp_str(e, "the %d-layer net has not finished training in this budget", d),
                     nn_exp_str(e, "final training accuracy, %d layers − 2 layers, mean over seeds (points; the %d training "
                                   "images resolve %.2f)", d, e->data.train.n, res),
                     md - m2, ">", -res);
}

/* a condition's per-seed values of `name`, or NaN for a condition that did not run (cond −1) */
static const double *vals(nn_exp *e, int cond, const char *name) { return cond >= 0 ? nn_grid_values(e, cond, name) : nn_exp_vec(e); }

int main(int argc, char **argv)
{
    settings s = {0};
    nn_exp e;
    int rc = nn_exp_start(&e, &def, &s, argc, argv);
    if (rc >= 0) return rc;
    for (int i = 0; i < s.n_depths; i++) {
        if (s.depths[i] > s.net.n_hidden)
            return nn_exp_fail(&e, 2, "depth %d needs %d widths in 'hidden', which lists %d", s.depths[i], s.depths[i],
                               s.net.n_hidden);
        for (int j = 0; j < i; j++)
            if (s.depths[j] == s.depths[i]) return nn_exp_fail(&e, 2, "'depths' lists %d twice", s.depths[i]);
    }
    if ((rc = nn_exp_load_data(&e))) return rc;
    const int S = e.S, D = s.n_depths, A = e.n_arms;
    const char **title = nn_exp_alloc(&e, (size_t)A, sizeof *title);
    for (int a = 0; a < A; a++) {
        settings c = *(const settings *)e.arm_set[a];
        title[a] = nn_exp_str(&e, "%s: %s, %s%s", e.arm_name[a], act_name(&e, &c.net), c.net.init,
                              c.net.batchnorm ? ", batch norm" : "");
        if (nn_netcfg_optim(&c.net, &c.opt)) return nn_exp_fail(&e, 2, "arm '%s': %s", e.arm_name[a], nn_error());
        c.opt.l2 = c.net.l2 / s.l2_n;
        /* the arm is the figures' group: its name, when a figure can take it as a word */
        const char *n = e.arm_name[a], *ok = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.";
        const char *group = *n && !n[strspn(n, ok)] ? n : nn_exp_str(&e, "arm%d", a + 1);
        for (int di = 0; di < D; di++) {
            nn_netcfg net = c.net;
            c.depth = net.n_hidden = s.depths[di];
            if (net.n_activation > c.depth && net.n_activation != 1) net.n_activation = c.depth;
            if (nn_netcfg_spec(&net, e.data.train.d, e.data.train.n_classes, &c.spec))
                return nn_exp_fail(&e, 2, "arm '%s', depth %d: %s", e.arm_name[a], c.depth, nn_error());
            nn_grid_condition(&e, nn_exp_str(&e, "%s-%d", n, c.depth), nn_exp_str(&e, "%s, depth %d", title[a], c.depth), &c,
                              group, c.depth);
        }
    }
    if ((rc = nn_grid_run(&e, cell, NULL))) return rc;

    /* the table: one row per depth, one column per arm */
    const int pa = nn_exp_arm_index(&e, "plain");
    const char **cols = nn_exp_alloc(&e, (size_t)A + 3, sizeof(char *)), **txt = nn_exp_alloc(&e, (size_t)A + 3, sizeof(char *));
    double *num = nn_exp_alloc(&e, (size_t)A + 3, sizeof(double));
    cols[0] = "hidden layers", cols[1] = "lecture (Nielsen)";
    for (int a = 0; a < A; a++) cols[2 + a] = title[a];
    cols[2 + A] = pa >= 0 ? nn_exp_str(&e, "%s, epoch 1", title[pa]) : "plain arm, epoch 1";
    cJSON *rows = nn_exp_table(&e, nn_exp_str(&e, "Final test accuracy (%%) after %d epochs, mean ± std over %d seeds; the "
                                                  "lecture's table used 50,000 training images, this run %d",
                                              s.net.epochs, S, e.data.train.n),
                               A + 3, cols);
    for (int di = 0; di < D; di++) {
        double m, sd;
        num[0] = s.depths[di], num[1] = lecture(s.depths[di]), num[2 + A] = NAN;
        for (int a = 0; a < A; a++) {
            int k = nn_grid_mean_std(&e, a * D + di, "test_acc", &m, &sd);
            txt[2 + a] = k == 0  ? "diverged"
                         : k < S ? nn_exp_str(&e, "%.2f ± %.2f (%d of %d seeds)", m, sd, k, S)
                                 : nn_exp_str(&e, "%.2f ± %.2f", m, sd);
        }
        if (pa >= 0) nn_grid_mean_std(&e, pa * D + di, "epoch1_acc", &num[2 + A], &sd);
        nn_grid_row(rows, A + 3, txt, num);
    }

    /* claims, on the plain arm (the lecture's nets): at[d], its condition at depth d */
    const double chance = nn_exp_chance_pct(&e);
    int pos[5] = {-1, -1, -1, -1, -1}, at[5];
    for (int di = 0; di < D; di++)
        if (s.depths[di] <= 4) pos[s.depths[di]] = di;
    for (int d = 0; d < 5; d++) at[d] = pa >= 0 && pos[d] >= 0 ? pa * D + pos[d] : -1;
    const settings *ps = pa >= 0 ? e.arm_set[pa] : &s;
    const char *act = act_name(&e, &ps->net);
    /* why a claim needing depths a and b cannot be judged here, or NULL */
    const char *missing[5][5] = {{0}};
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 5; j++)
            missing[i][j] = pa < 0                   ? nn_exp_missing_arm(&e, "plain")
                            : pos[i] < 0 || pos[j] < 0 ? nn_exp_str(&e, "'depths' does not list both %d and %d", i, j)
                                                       : NULL;
    const double *f[5], *g[5];
    for (int d = 0; d < 5; d++) f[d] = vals(&e, at[d], "test_acc"), g[d] = vals(&e, at[d], "epoch1_acc");
    double *diff32 = nn_exp_vec(&e), *diff42 = nn_exp_vec(&e), *slow = nn_exp_vec(&e);
    double min_acc2 = INFINITY;
    for (int q = 0; q < S; q++) {
        diff32[q] = f[3][q] - f[2][q], diff42[q] = f[4][q] - f[2][q], min_acc2 = fmin(min_acc2, f[2][q]);
        /* the largest epoch-1 gain from adding a layer, over the pairs (d, d+1), 1 ≤ d ≤ 3, whose
         * shallower net has left chance after one epoch: two nets both at chance are a tie that
         * says nothing about speed */
        double worst = -INFINITY;
        int pairs = 0;
        for (int d = 1; d < 4; d++)
            if (isfinite(g[d][q]) && isfinite(g[d + 1][q]) && g[d][q] > chance + 5)
                worst = fmax(worst, g[d + 1][q] - g[d][q]), pairs++;
        slow[q] = pairs ? worst : NAN;
    }
    const char *trains = nn_exp_str(&e, "the 2-hidden-layer %s net leaves chance (lowest final test accuracy over seeds, %%)", act);
    nn_claim c1 = {.kind = NN_LECTURE, .id = "one-hidden-beats-none",
                   .statement = nn_exp_str(&e, "One %s hidden layer of %d units beats no hidden layer", act, ps->net.hidden[0]),
                   .source = source, .quantity = "test accuracy of depth 1 minus depth 0, points", .op = ">", .threshold = 0,
                   .unmeasured = missing[0][1]};
    nn_exp_claim_gain(&e, &c1, f[1], f[0], "the net without a hidden layer", e.data.test.n);
    nn_claim c3 = {.kind = NN_LECTURE, .id = "three-no-better-than-two",
                   .statement = nn_exp_str(&e, "Three %s hidden layers are no better than two (within 0.5 point)", act),
                   .source = source, .quantity = "test accuracy of depth 3 minus depth 2, points", .op = "<=", .threshold = 0.5,
                   .unmeasured = missing[2][3]};
    nn_exp_require_trained(&e, &c3, trains, min_acc2);
    fits_like_two(&e, &c3, at, 3);
    nn_exp_claim_seeds(&e, &c3, diff32);
    nn_claim c4 = {.kind = NN_LECTURE, .id = "four-no-better-than-two",
                   .statement = nn_exp_str(&e, "Four %s hidden layers are no better than two (within 0.5 point)", act),
                   .source = source, .quantity = "test accuracy of depth 4 minus depth 2, points", .op = "<=", .threshold = 0.5,
                   .unmeasured = missing[2][4]};
    nn_exp_require_trained(&e, &c4, trains, min_acc2);
    fits_like_two(&e, &c4, at, 4);
    nn_exp_claim_seeds(&e, &c4, diff42);
    nn_claim c5 = {.kind = NN_LECTURE, .id = "deeper-learns-slower",
                   .statement = nn_exp_str(&e, "Deeper %s nets learn slower at first: epoch-1 test accuracy falls with every "
                                               "added layer (1 to 4)", act),
                   .source = "seed 001 (why early layers learn slowly)",
                   .quantity = "largest epoch-1 test accuracy gain from adding a layer, points", .op = "<", .threshold = 0,
                   .unmeasured = pos[1] < 0 || pos[2] < 0 || pos[3] < 0 || pos[4] < 0
                                     ? (pa < 0 ? nn_exp_missing_arm(&e, "plain") : "'depths' does not list 1, 2, 3 and 4")
                                     : missing[1][4],
                   .rule_note = "A pair of depths is compared only when the shallower net is more than 5 points above chance "
                                "after one epoch: two nets at chance tie, which says nothing about speed; a seed with no "
                                "such pair gives no measurement."};
    nn_exp_require_trained(&e, &c5, nn_exp_str(&e, "the 4-hidden-layer %s net leaves chance by the last epoch (a slow net, not "
                                                   "a broken one; lowest final test accuracy over seeds, %%)", act),
                           nn_exp_worst(&e, f[4]));
    nn_exp_claim_seeds(&e, &c5, slow);

    /* seed 004: without a non-linearity depth buys nothing — a stack of linear layers is one linear
     * map (of rank at most the narrowest width). For every arm whose hidden layers are all linear:
     * per seed, the best of depths 1… minus depth 0, against what the test set can resolve. */
    for (int a = 0; a < A; a++) {
        const nn_netcfg *c = &((const settings *)e.arm_set[a])->net;
        int linear = 1;
        for (int k = 0; k < c->n_activation; k++) linear &= !strcmp(c->activation[k], "linear");
        if (!linear) continue;
        const int z = pos[0] >= 0 ? a * D + pos[0] : -1; /* the arm's depth-0 condition */
        const double *f0 = vals(&e, z, "test_acc");
        double *gain = nn_exp_vec(&e), m0 = NAN, sd0;
        int deeper = 0;
        for (int di = 0; di < D; di++) deeper += s.depths[di] > 0;
        for (int q = 0; q < S && z >= 0; q++) {
            double best = -INFINITY;
            for (int di = 0; di < D; di++)
                if (s.depths[di] > 0) best = fmax(best, nn_grid_values(&e, a * D + di, "test_acc")[q] - f0[q]);
            gain[q] = deeper ? best : NAN;
        }
        if (z >= 0) nn_grid_mean_std(&e, z, "test_acc", &m0, &sd0);
        const double tol = nn_exp_resolution_pct(&e, m0);
        nn_claim cl = {.kind = NN_LECTURE, .id = nn_exp_str(&e, "deep-linear-no-better[%s]", e.arm_name[a]),
                       .statement = nn_exp_str(&e, "A deep linear net is a linear model: with linear hidden layers (arm %s) no "
                                                   "depth beats no hidden layer by more than the %d test images resolve "
                                                   "(%.2f points)", e.arm_name[a], e.data.test.n, tol),
                       .source = "seed 004 (the activation must be non-linear)",
                       .quantity = "best final test accuracy over the depths ≥ 1 minus depth 0 (same seed), points", .op = "<=",
                       .threshold = tol,
                       .unmeasured = pos[0] < 0 || !deeper ? "'depths' does not list 0 and a depth above it" : NULL,
                       .rule_note = "The tolerance is two standard errors of a difference of two accuracies p on n test images, "
                                    "2 sqrt(2p(1 - p)/n), with p the depth-0 net's mean accuracy."};
        nn_exp_require_trained(&e, &cl, "the linear net without a hidden layer leaves chance (lowest final test accuracy over seeds, %)",
                               z >= 0 ? nn_exp_worst(&e, f0) : NAN);
        nn_exp_claim_seeds(&e, &cl, gain);
    }
    return nn_exp_finish(&e);
}
