/* depth — does a deeper sigmoid net classify digits better? (seed 001, from Nielsen ch. 5)
 *
 * Sigmoid hidden layers of 30 units, softmax + cross-entropy output, 0 to 4 hidden
 * layers, SGD with L2 weight decay λ scaled by the training-set size n as in Nielsen's
 * network2 (the penalty is (λ/2n)‖w‖²). The lecture's table: no hidden layer ≈ 88 %,
 * one ≈ 96.5 %, two ≈ 96.9 %, three ≈ 96.5 %, four ≈ 96.5 %: depth stops paying after
 * two layers, because early layers of a sigmoid net learn slowly. The same depths with
 * ReLU + He init and with batch norm show what lets depth pay off.
 *
 * Settings: experiments/depth.json (every key: bin/depth --help). Depth d uses the first d
 * widths of `hidden`.
 */
#include <math.h>
#include <string.h>

#include "nnlab.h"

static const char *const variant_names[] = {"sigmoid", "relu_he", "batchnorm", NULL};
static const double lecture_acc[5] = {88.0, 96.5, 96.9, 96.5, 96.5}; /* seed 001's table, % */

typedef struct settings {
    nn_exp_common common;
    nn_netcfg net;
    int depths[16], n_depths;
    int l2_per_n;             /* λ is divided by the training-set size (network2) */
    char variants[3][NN_STR];
    int n_variants;
} settings;

/* the spec of a variant at depth d */
static int variant_spec(const settings *s, const char *variant, int d, int n_in, int n_out, nn_mlp_spec *sp)
{
    nn_netcfg c = s->net;
    c.n_hidden = d;
    if (c.n_activation > d && c.n_activation != 1) c.n_activation = d;
    if (!strcmp(variant, "relu_he")) {
        snprintf(c.activation[0], NN_STR, "relu");
        c.n_activation = 1;
        snprintf(c.init, NN_STR, "he_normal");
        c.init_scale = 1;
        snprintf(c.bias_init, NN_STR, "zero");
    } else if (!strcmp(variant, "batchnorm")) {
        c.batchnorm = 1;
    }
    return nn_netcfg_spec(&c, n_in, n_out, sp);
}

int main(int argc, char **argv)
{
    settings s = {.depths = {0, 1, 2, 3, 4}, .n_depths = 5, .l2_per_n = 1, .n_variants = 3};
    snprintf(s.common.data, NN_STR, "mnist");
    s.common.seed = 1, s.common.seeds = 3;
    nn_netcfg_defaults(&s.net);
    for (int k = 0; k < 4; k++) s.net.hidden[k] = 30;
    s.net.n_hidden = 4;
    s.net.l2 = 5.0;
    s.net.epochs = 30;
    for (int v = 0; v < 3; v++) snprintf(s.variants[v], NN_STR, "%s", variant_names[v]);

    nn_cfg_field f[64];
    int n = nn_exp_common_fields(&s.common, f);
    n += nn_netcfg_fields(&s.net, f + n);
    f[n++] = (nn_cfg_field){"depths", NN_CFG_INT_LIST, s.depths, 0, NN_MAX_HIDDEN, NULL, &s.n_depths, 16, 1,
                            "numbers of hidden layers to compare (depth d uses the first d widths of 'hidden')"};
    f[n++] = (nn_cfg_field){"l2_per_n", NN_CFG_BOOL, &s.l2_per_n, 0, 1, NULL, NULL, 0, 0,
                            "divide λ by the training-set size n (Nielsen's network2)"};
    f[n++] = (nn_cfg_field){"variants", NN_CFG_STR_LIST, s.variants, 0, 0, variant_names, &s.n_variants, 3, 1,
                            "sigmoid (the lecture's nets), relu_he (ReLU + He init, zero biases), batchnorm (sigmoid + BN)"};
    f[n] = (nn_cfg_field){0};

    nn_exp e = {0};
    int rc = nn_exp_start(&e, "depth", "Test accuracy against the number of hidden layers (sigmoid, ReLU + He, batch norm).", f,
                          &s.common, argc, argv);
    if (rc >= 0) return rc;
    for (int i = 0; i < s.n_depths; i++)
        if (s.depths[i] > s.net.n_hidden)
            return nn_exp_fail(&e, 2, "depth %d needs %d widths in 'hidden', which lists %d", s.depths[i], s.depths[i],
                    s.net.n_hidden);
    if ((rc = nn_exp_load_data(&e))) return rc;
    const nn_dataset *train = &e.data.train, *test = &e.data.test;
    nn_optim opt;
    if (nn_netcfg_optim(&s.net, &opt))
        return nn_exp_fail(&e, 2, "%s", nn_error());
    if (s.l2_per_n) opt.l2 = s.net.l2 / train->n;
    cJSON_AddNumberToObject(e.summary, "l2_effective", opt.l2);

    const int S = s.common.seeds, D = s.n_depths;
    nn_history *h = nn_calloc((size_t)S, sizeof *h);
    cJSON *table = cJSON_AddObjectToObject(e.summary, "final_test_acc");
    cJSON_AddItemToObject(table, "depth", cJSON_CreateIntArray(s.depths, D));
    cJSON_AddItemToObject(table, "lecture", nn_json_series(lecture_acc, 5));
    double final_mean[3][16], first_mean[3][16];
    for (int v = 0; v < s.n_variants; v++) {
        const char *var = s.variants[v];
        double fm[16], fs[16], em[16], es[16];
        for (int di = 0; di < D; di++) {
            int d = s.depths[di];
            nn_mlp_spec sp;
            if (variant_spec(&s, var, d, train->d, train->n_classes, &sp))
                return nn_exp_fail(&e, 2, "%s", nn_error());
            double fin[100], ep1[100];
            for (int r = 0; r < S; r++) {
                uint64_t seed = (uint64_t)(s.common.seed + r);
                char label[64];
                snprintf(label, sizeof label, "%s depth %d seed %llu", var, d, (unsigned long long)seed);
                nn_train_cfg tc = {.epochs = s.net.epochs, .batch = s.net.batch, .eval_train = 1, .label = label,
                                   .progress = 1};
                if (nn_exp_train_mlp(&sp, &opt, tc, seed, train, test, &h[r]))
                    return nn_exp_fail(&e, 2, "%s", nn_error());
                snprintf(label, sizeof label, "%s-%d", var, d);
                cJSON *run = nn_exp_add_run(&e, var, label, seed, &h[r]);
                cJSON_AddNumberToObject(run, "depth", d);
                fin[r] = 100 * nn_exp_final(&h[r], offsetof(nn_epoch, test_acc));
                ep1[r] = h[r].n_epochs > 0 ? 100 * h[r].ep[0].test_acc : NAN;
            }
            nn_mean_std(fin, S, &fm[di], &fs[di]);
            nn_mean_std(ep1, S, &em[di], &es[di]);
            final_mean[v][di] = fm[di];
            first_mean[v][di] = em[di];
            /* per-epoch mean ± std over seeds, for the figures */
            cJSON *agg = cJSON_CreateObject();
            cJSON_AddNumberToObject(agg, "depth", d);
            cJSON_AddItemToObject(agg, "test_acc", nn_exp_history_mean_std(h, S, offsetof(nn_epoch, test_acc)));
            cJSON_AddItemToObject(agg, "train_acc", nn_exp_history_mean_std(h, S, offsetof(nn_epoch, train_acc)));
            cJSON *curves = cJSON_GetObjectItem(e.summary, "curves");
            if (!curves) curves = cJSON_AddObjectToObject(e.summary, "curves");
            cJSON *cv = cJSON_GetObjectItem(curves, var);
            if (!cv) cv = cJSON_AddArrayToObject(curves, var);
            cJSON_AddItemToArray(cv, agg);
            nn_exp_say(&e, "%-9s depth %d: test accuracy %.2f ± %.2f %% (epoch 1: %.2f %%)", var, d, fm[di], fs[di], em[di]);
            for (int r = 0; r < S; r++) nn_history_free(&h[r]);
        }
        cJSON *vt = cJSON_AddObjectToObject(table, var);
        cJSON_AddItemToObject(vt, "mean", nn_json_series(fm, D));
        cJSON_AddItemToObject(vt, "std", nn_json_series(fs, D));
        cJSON_AddItemToObject(vt, "epoch1_mean", nn_json_series(em, D));
    }
    free(h);

    /* claims on the sigmoid variant (the lecture's nets) */
    int vs = -1, pos[5] = {-1, -1, -1, -1, -1};
    for (int v = 0; v < s.n_variants; v++)
        if (!strcmp(s.variants[v], "sigmoid")) vs = v;
    for (int di = 0; di < D; di++)
        if (s.depths[di] >= 0 && s.depths[di] <= 4) pos[s.depths[di]] = di;
    double acc[5], a1[5];
    for (int d = 0; d < 5; d++) {
        acc[d] = vs >= 0 && pos[d] >= 0 ? final_mean[vs][pos[d]] : NAN;
        a1[d] = vs >= 0 && pos[d] >= 0 ? first_mean[vs][pos[d]] : NAN;
    }
    nn_results_claim(e.doc, "one-hidden-beats-none", "One sigmoid hidden layer of 30 units beats no hidden layer (mean over seeds)",
                     "seed 001 (MNIST depth table, from Nielsen ch. 5)", "test accuracy gain of depth 1 over depth 0, points",
                     acc[1] - acc[0], ">", 0);
    nn_results_claim(e.doc, "three-no-better-than-two", "Three sigmoid hidden layers are no better than two (within 0.5 point)",
                     "seed 001 (MNIST depth table, from Nielsen ch. 5)", "test accuracy of depth 3 minus depth 2, points",
                     acc[3] - acc[2], "<=", 0.5);
    nn_results_claim(e.doc, "four-no-better-than-two", "Four sigmoid hidden layers are no better than two (within 0.5 point)",
                     "seed 001 (MNIST depth table, from Nielsen ch. 5)", "test accuracy of depth 4 minus depth 2, points",
                     acc[4] - acc[2], "<=", 0.5);
    double worst = -INFINITY;
    for (int d = 1; d < 4; d++) worst = fmax(worst, a1[d + 1] - a1[d]);
    nn_results_claim(e.doc, "deeper-learns-slower",
                     "Deeper sigmoid nets learn slower at first: epoch-1 test accuracy falls with every added layer (1 to 4)",
                     "seed 001 (why early layers learn slowly)", "largest epoch-1 accuracy gain from adding a layer, points",
                     worst, "<", 0);
    {
        char cap[200];
        snprintf(cap, sizeof cap, "Final test accuracy (%%) after %d epochs, mean ± std over %d seeds; the lecture's table used "
                 "50,000 training images", s.net.epochs, S);
        const char *cols[] = {"hidden layers", "lecture", "sigmoid", "ReLU + He", "sigmoid + BN", "sigmoid, epoch 1"};
        cJSON *rows = nn_exp_table(&e, cap, 6, cols);
        cJSON *fm = cJSON_GetObjectItem(table, "sigmoid"), *fr = cJSON_GetObjectItem(table, "relu_he"),
              *fb = cJSON_GetObjectItem(table, "batchnorm");
        for (int di = 0; di < D; di++) {
            char cell[3][48];
            cJSON *src[3] = {fm, fr, fb};
            for (int q = 0; q < 3; q++) {
                if (!src[q]) {
                    snprintf(cell[q], 48, "–");
                    continue;
                }
                const cJSON *m = cJSON_GetArrayItem(cJSON_GetObjectItem(src[q], "mean"), di);
                const cJSON *sd = cJSON_GetArrayItem(cJSON_GetObjectItem(src[q], "std"), di);
                if (cJSON_IsNumber(m) && cJSON_IsNumber(sd)) snprintf(cell[q], 48, "%.2f ± %.2f", m->valuedouble, sd->valuedouble);
                else snprintf(cell[q], 48, "diverged");
            }
            int d = s.depths[di];
            nn_exp_row(rows, "insssn", d, d <= 4 ? lecture_acc[d] : NAN, cell[0], cell[1], cell[2], d <= 4 ? a1[d] : NAN);
        }
    }
    cJSON *gap = cJSON_AddObjectToObject(e.summary, "gap_one_vs_none");
    cJSON_AddItemToObject(gap, "measured", nn_json_num(acc[1] - acc[0]));
    cJSON_AddItemToObject(gap, "lecture", nn_json_num(lecture_acc[1] - lecture_acc[0]));
    return nn_exp_finish(&e);
}
