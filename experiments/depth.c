/* depth — does a deeper net classify digits better? (seed 001, from Nielsen ch. 5)
 *
 * Hidden layers of 30 units, softmax + cross-entropy output, 0 to 4 hidden layers, SGD
 * with L2 weight decay. Nielsen's network2 minimises C + (λ/2n)‖w‖² with λ = 5 and
 * n = 50,000 training images; the penalty per weight is what matters, so the lab divides
 * λ by `l2_n` = 50,000 whatever the size of the training set it uses (dividing by the
 * 7,008 npm digits instead makes the decay 7× the book's, and the deep sigmoid nets then
 * collapse for a reason that is not depth). The lecture's table: no hidden layer ≈ 88 %,
 * one ≈ 96.5 %, two ≈ 96.9 %, three ≈ 96.5 %, four ≈ 96.5 %: depth stops paying after two
 * layers, because early layers of a sigmoid net learn slowly.
 *
 * Arms (experiments/depth.json, "arms"): "plain" is the lecture's net; the others override
 * settings (ReLU + He, batch norm). Claims are about the plain arm; every statement names
 * the activation that actually ran. Depth d uses the first d widths of `hidden`.
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

/* per-arm results: [depth index][seed] */
typedef struct arm_acc {
    double **final, **ep1, **train; /* per depth, per seed: final test and training accuracy, epoch-1 test accuracy (%) */
} arm_acc;

/* The control of "depth d is no better than 2": the skeptic says the deeper net is no better only because it has not
 * finished training in this budget. It rules that out when the deeper net fits its training set as well as the
 * 2-layer net does: its final training accuracy (mean over seeds) no lower than the 2-layer net's by more than the
 * training set resolves. */
static void fits_like_two(nn_exp *e, nn_claim *c, double *const *train, const int *pos, int d)
{
    if (!train || pos[2] < 0 || pos[d] < 0) return;
    double m2, md, sd;
    nn_mean_std(train[pos[2]], e->S, &m2, &sd), nn_mean_std(train[pos[d]], e->S, &md, &sd);
    const double res = nn_exp_resolution_n(m2, e->data.train.n);
    nn_claim_control(c, nn_exp_str(e, "the %d-layer net has not finished training in this budget", d),
                     nn_exp_str(e, "final training accuracy, %d layers − 2 layers, mean over seeds (points; the %d training "
                                   "images resolve %.2f)", d, e->data.train.n, res),
                     md - m2, ">", -res);
}

int main(int argc, char **argv)
{
    settings s = {0};
    nn_exp e;
    int rc = nn_exp_start(&e, &def, &s, argc, argv);
    if (rc >= 0) return rc;
    for (int i = 0; i < s.n_depths; i++)
        if (s.depths[i] > s.net.n_hidden)
            return nn_exp_fail(&e, 2, "depth %d needs %d widths in 'hidden', which lists %d", s.depths[i], s.depths[i],
                               s.net.n_hidden);
    if ((rc = nn_exp_load_data(&e))) return rc;
    const int S = e.S, D = s.n_depths, A = e.n_arms;
    const double chance = nn_exp_chance_pct(&e);
    cJSON_AddNumberToObject(e.summary, "l2_per_weight", s.net.l2 / s.l2_n);
    cJSON_AddItemToObject(e.summary, "depth", cJSON_CreateIntArray(s.depths, D));
    cJSON *lect = cJSON_AddArrayToObject(e.summary, "lecture");
    for (int di = 0; di < D; di++)
        cJSON_AddItemToArray(lect, nn_json_num(s.depths[di] <= 4 ? lecture_acc[s.depths[di]] : NAN));
    cJSON *arms_out = cJSON_AddArrayToObject(e.summary, "arms");
    arm_acc *acc = nn_exp_alloc(&e, (size_t)A, sizeof *acc);
    nn_history *h = nn_exp_alloc(&e, (size_t)S, sizeof *h);
    const char **title = nn_exp_alloc(&e, (size_t)A, sizeof *title);

    for (int a = 0; a < A; a++) {
        const settings *as = e.arm_set[a];
        title[a] = nn_exp_str(&e, "%s: %s, %s%s", e.arm_name[a], act_name(&e, &as->net), as->net.init,
                              as->net.batchnorm ? ", batch norm" : "");
        nn_optim opt;
        if (nn_netcfg_optim(&as->net, &opt)) return nn_exp_fail(&e, 2, "arm '%s': %s", e.arm_name[a], nn_error());
        opt.l2 = as->net.l2 / s.l2_n;
        acc[a].final = nn_exp_alloc(&e, (size_t)D, sizeof(double *));
        acc[a].ep1 = nn_exp_alloc(&e, (size_t)D, sizeof(double *));
        acc[a].train = nn_exp_alloc(&e, (size_t)D, sizeof(double *));
        cJSON *ao = cJSON_CreateObject();
        cJSON_AddStringToObject(ao, "name", e.arm_name[a]);
        cJSON_AddStringToObject(ao, "title", title[a]);
        cJSON *fm = cJSON_AddArrayToObject(ao, "final_mean"), *fs = cJSON_AddArrayToObject(ao, "final_std"),
              *em = cJSON_AddArrayToObject(ao, "epoch1_mean"), *curves = cJSON_AddArrayToObject(ao, "curves");
        cJSON_AddItemToArray(arms_out, ao);
        for (int di = 0; di < D; di++) {
            int d = s.depths[di];
            nn_netcfg c = as->net;
            c.n_hidden = d;
            if (c.n_activation > d && c.n_activation != 1) c.n_activation = d;
            nn_mlp_spec sp;
            if (nn_netcfg_spec(&c, e.data.train.d, e.data.train.n_classes, &sp))
                return nn_exp_fail(&e, 2, "arm '%s', depth %d: %s", e.arm_name[a], d, nn_error());
            nn_train_cfg tc = {.epochs = as->net.epochs, .batch = as->net.batch, .eval_train = 1};
            const char *label = nn_exp_str(&e, "%s-%d", e.arm_name[a], d);
            if (nn_exp_train_seeds(&e, e.arm_name[a], label, &sp, &opt, tc, h))
                return nn_exp_fail(&e, 2, "%s", nn_error());
            for (int q = 0, nr = cJSON_GetArraySize(e.runs); q < S; q++) /* the runs just added carry their depth */
                cJSON_AddNumberToObject(cJSON_GetArrayItem(e.runs, nr - S + q), "depth", d);
            acc[a].final[di] = nn_exp_final_vec(&e, h, offsetof(nn_epoch, test_acc), 100);
            acc[a].train[di] = nn_exp_final_vec(&e, h, offsetof(nn_epoch, train_acc), 100);
            acc[a].ep1[di] = nn_exp_vec(&e);
            for (int q = 0; q < S; q++) acc[a].ep1[di][q] = h[q].n_epochs > 0 ? 100 * h[q].ep[0].test_acc : NAN;
            double m, sd, m1, sd1;
            int k = nn_mean_std_n(acc[a].final[di], S, &m, &sd);
            nn_mean_std(acc[a].ep1[di], S, &m1, &sd1);
            cJSON_AddItemToArray(fm, nn_json_num(m));
            cJSON_AddItemToArray(fs, nn_json_num(sd));
            cJSON_AddItemToArray(em, nn_json_num(m1));
            cJSON *cv = cJSON_CreateObject();
            cJSON_AddNumberToObject(cv, "depth", d);
            cJSON_AddNumberToObject(cv, "seeds_averaged", k);
            cJSON_AddItemToObject(cv, "test_acc", nn_exp_history_mean_std(h, S, offsetof(nn_epoch, test_acc)));
            cJSON_AddItemToObject(cv, "train_acc", nn_exp_history_mean_std(h, S, offsetof(nn_epoch, train_acc)));
            cJSON_AddItemToArray(curves, cv);
            nn_exp_say(&e, "%-10s depth %d: test accuracy %.2f ± %.2f %% over %d of %d seeds (epoch 1: %.2f %%)",
                       e.arm_name[a], d, m, sd, k, S, m1);
            for (int q = 0; q < S; q++) nn_history_free(&h[q]);
        }
    }

    /* the table: one column per arm */
    {
        const char **cols = nn_exp_alloc(&e, (size_t)A + 3, sizeof(char *));
        cols[0] = "hidden layers", cols[1] = "lecture (Nielsen)";
        for (int a = 0; a < A; a++) cols[2 + a] = title[a];
        int pa = nn_exp_arm_index(&e, "plain");
        cols[2 + A] = pa >= 0 ? nn_exp_str(&e, "%s, epoch 1", title[pa]) : "plain arm, epoch 1";
        cJSON *rows = nn_exp_table(&e, nn_exp_str(&e, "Final test accuracy (%%) after %d epochs, mean ± std over %d seeds; "
                                                      "the lecture's table used 50,000 training images, this run %d",
                                                  s.net.epochs, S, e.data.train.n),
                                   A + 3, cols);
        for (int di = 0; di < D; di++) {
            cJSON *row = cJSON_CreateArray();
            cJSON_AddItemToArray(row, cJSON_CreateNumber(s.depths[di]));
            cJSON_AddItemToArray(row, nn_json_num(s.depths[di] <= 4 ? lecture_acc[s.depths[di]] : NAN));
            for (int a = 0; a < A; a++) {
                double m, sd;
                int k = nn_mean_std_n(acc[a].final[di], S, &m, &sd);
                cJSON_AddItemToArray(row, cJSON_CreateString(k == 0   ? "diverged"
                                                              : k < S ? nn_exp_str(&e, "%.2f ± %.2f (%d of %d seeds)", m, sd, k, S)
                                                                      : nn_exp_str(&e, "%.2f ± %.2f", m, sd)));
            }
            double m1, sd1;
            nn_mean_std(pa >= 0 ? acc[pa].ep1[di] : NULL, pa >= 0 ? S : 0, &m1, &sd1);
            cJSON_AddItemToArray(row, nn_json_num(m1));
            cJSON_AddItemToArray(rows, row);
        }
    }

    /* claims, on the plain arm (the lecture's nets) */
    int pa = nn_exp_arm_index(&e, "plain");
    int pos[5] = {-1, -1, -1, -1, -1};
    for (int di = 0; di < D; di++)
        if (s.depths[di] >= 0 && s.depths[di] <= 4) pos[s.depths[di]] = di;
    const settings *ps = pa >= 0 ? e.arm_set[pa] : &s;
    const char *act = act_name(&e, &ps->net);
    /* why a claim needing depths a and b cannot be judged here, or NULL */
    const char *missing[5][5] = {{0}};
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 5; j++)
            missing[i][j] = pa < 0                   ? nn_exp_missing_arm(&e, "plain")
                            : pos[i] < 0 || pos[j] < 0 ? nn_exp_str(&e, "'depths' does not list both %d and %d", i, j)
                                                       : NULL;
    double *diff10 = nn_exp_vec(&e), *diff32 = nn_exp_vec(&e), *diff42 = nn_exp_vec(&e), *slow = nn_exp_vec(&e);
    double *acc2 = nn_exp_vec(&e), *acc1 = nn_exp_vec(&e), *acc0 = nn_exp_vec(&e), *acc4 = nn_exp_vec(&e);
    for (int q = 0; q < S && pa >= 0; q++) {
        double f[5], g[5];
        for (int d = 0; d < 5; d++) {
            f[d] = pos[d] >= 0 ? acc[pa].final[pos[d]][q] : NAN;
            g[d] = pos[d] >= 0 ? acc[pa].ep1[pos[d]][q] : NAN;
        }
        diff10[q] = f[1] - f[0], diff32[q] = f[3] - f[2], diff42[q] = f[4] - f[2], acc2[q] = f[2];
        acc0[q] = f[0], acc1[q] = f[1], acc4[q] = f[4];
        /* the largest epoch-1 gain from adding a layer, over the pairs (d, d+1), 1 ≤ d ≤ 3, whose
         * shallower net has left chance after one epoch: two nets both at chance are a tie that
         * says nothing about speed */
        double worst = -INFINITY;
        int pairs = 0;
        for (int d = 1; d < 4; d++)
            if (isfinite(g[d]) && isfinite(g[d + 1]) && g[d] > chance + 5) worst = fmax(worst, g[d + 1] - g[d]), pairs++;
        slow[q] = pairs ? worst : NAN;
    }
    double min_acc2 = INFINITY;
    for (int q = 0; q < S; q++) min_acc2 = fmin(min_acc2, acc2[q]);
    const char *trains = nn_exp_str(&e, "the 2-hidden-layer %s net leaves chance (lowest final test accuracy over seeds, %%)", act);
    nn_claim c1 = {.kind = NN_LECTURE, .id = "one-hidden-beats-none",
                   .statement = nn_exp_str(&e, "One %s hidden layer of %d units beats no hidden layer", act, ps->net.hidden[0]),
                   .source = source, .quantity = "test accuracy of depth 1 minus depth 0, points", .op = ">", .threshold = 0,
                   .unmeasured = missing[0][1]};
    nn_exp_claim_gain(&e, &c1, acc1, acc0, "the net without a hidden layer", e.data.test.n);
    (void)diff10;
    nn_claim c3 = {.kind = NN_LECTURE, .id = "three-no-better-than-two",
                   .statement = nn_exp_str(&e, "Three %s hidden layers are no better than two (within 0.5 point)", act),
                   .source = source, .quantity = "test accuracy of depth 3 minus depth 2, points", .op = "<=", .threshold = 0.5,
                   .unmeasured = missing[2][3]};
    nn_exp_require_trained(&e, &c3, trains, min_acc2);
    fits_like_two(&e, &c3, pa >= 0 ? acc[pa].train : NULL, pos, 3);
    nn_exp_claim_seeds(&e, &c3, diff32);
    nn_claim c4 = {.kind = NN_LECTURE, .id = "four-no-better-than-two",
                   .statement = nn_exp_str(&e, "Four %s hidden layers are no better than two (within 0.5 point)", act),
                   .source = source, .quantity = "test accuracy of depth 4 minus depth 2, points", .op = "<=", .threshold = 0.5,
                   .unmeasured = missing[2][4]};
    nn_exp_require_trained(&e, &c4, trains, min_acc2);
    fits_like_two(&e, &c4, pa >= 0 ? acc[pa].train : NULL, pos, 4);
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
                           nn_exp_worst(&e, acc4));
    nn_exp_claim_seeds(&e, &c5, slow);

    /* seed 004: without a non-linearity depth buys nothing — a stack of linear layers is one linear
     * map (of rank at most the narrowest width). For every arm whose hidden layers are all linear:
     * per seed, the best of depths 1… minus depth 0, against what the test set can resolve. */
    for (int a = 0; a < A; a++) {
        const nn_netcfg *c = &((const settings *)e.arm_set[a])->net;
        int linear = 1;
        for (int k = 0; k < c->n_activation; k++) linear &= !strcmp(c->activation[k], "linear");
        if (!linear) continue;
        double *gain = nn_exp_vec(&e), m0, sd0;
        int deeper = 0;
        for (int di = 0; di < D; di++) deeper += s.depths[di] > 0;
        for (int q = 0; q < S && pos[0] >= 0; q++) {
            double best = -INFINITY;
            for (int di = 0; di < D; di++)
                if (s.depths[di] > 0) best = fmax(best, acc[a].final[di][q] - acc[a].final[pos[0]][q]);
            gain[q] = deeper ? best : NAN;
        }
        nn_mean_std(pos[0] >= 0 ? acc[a].final[pos[0]] : NULL, pos[0] >= 0 ? S : 0, &m0, &sd0);
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
                               pos[0] >= 0 ? nn_exp_worst(&e, acc[a].final[pos[0]]) : NAN);
        nn_exp_claim_seeds(&e, &cl, gain);
    }
    return nn_exp_finish(&e);
}
