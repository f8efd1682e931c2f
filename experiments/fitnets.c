/* fitnets — a thin, deep student guided by a wide, shallow teacher's hints (seed 002; Romero et al. 2015).
 *
 * A thin deep net is hard to train from scratch: its early layers get little gradient (notes
 * 2 and 3). FitNets first trains the student's lower half to reproduce an intermediate
 * representation of a trained teacher — the *hint*: the student's guided layer, mapped by a
 * learned linear regressor r, should match the teacher's hint layer, L_hint = ½‖h_teacher − r(g_student)‖².
 * Only then is the whole student trained on the labels. Against: the same student trained
 * on the labels alone for the same total number of epochs.
 *
 * Settings: experiments/fitnets.json (every key: bin/fitnets --help). The student is the
 * network keys (`hidden`, `activation`, …); the teacher has its own keys.
 */
#include <math.h>
#include <string.h>

#include "nnlab.h"

typedef struct settings {
    nn_exp_common common;
    nn_netcfg net; /* the student */
    int teacher_hidden, teacher_epochs;
    double teacher_lr;
    int guided;    /* student hidden layer (1-based) that receives the hint */
    int hint_epochs;
} settings;

/* stage 1: the student's layers 1 … guided plus a linear regressor, trained to match the
 * teacher's hint layer on every mini-batch */
static void train_hints(nn_net *hnet, nn_optim *opt, nn_net *teacher, const nn_dataset *train, int epochs, int batch,
                        uint64_t seed, double *loss_per_epoch)
{
    const nn_layer *hint = &teacher->layers[teacher->hidden_act[0]];
    int *idx = nn_calloc((size_t)train->n, sizeof(int));
    nn_real *X = nn_calloc((size_t)batch * train->d, sizeof(nn_real));
    nn_real *Y = nn_calloc((size_t)batch * hint->n, sizeof(nn_real));
    for (int i = 0; i < train->n; i++) idx[i] = i;
    nn_rng shuf;
    nn_rng_seed(&shuf, seed ^ 0x417e5ull);
    for (int e = 0; e < epochs; e++) {
        nn_rng_shuffle(&shuf, idx, train->n);
        double sum = 0;
        for (int start = 0; start < train->n; start += batch) {
            int B = nn_min_i(batch, train->n - start);
            nn_dataset_gather(train, idx + start, B, X, NULL);
            nn_net_forward(teacher, X, B, NN_EVAL);
            memcpy(Y, hint->out, (size_t)B * hint->n * sizeof(nn_real));
            nn_net_forward(hnet, X, B, NN_TRAIN);
            sum += B * nn_net_loss(hnet, Y, 1);
            nn_net_zero_grad(hnet);
            nn_net_backward(hnet);
            nn_optim_step(opt, hnet, opt->lr);
        }
        loss_per_epoch[e] = sum / train->n;
    }
    free(idx), free(X), free(Y);
}

/* network keys the program sets itself */
static const nn_cfg_refusal not_honoured[] = {{NULL, NULL}}; /* every network key reaches the nets */

static int fields(void *p, nn_cfg_field *f, nn_cfg_refusal *r, int *n_r)
{
    settings *s = p;
    int n = nn_exp_common_fields(&s->common, f);
    n += nn_netcfg_fields_except(&s->net, f + n, not_honoured, r, n_r);
    f[n++] = (nn_cfg_field){"teacher_hidden", NN_CFG_INT, &s->teacher_hidden, 1, 100000, NULL, NULL, 0, 0,
                            "width of the teacher's single ReLU hidden layer (the hint layer)"};
    f[n++] = (nn_cfg_field){"teacher_epochs", NN_CFG_INT, &s->teacher_epochs, 1, 10000, NULL, NULL, 0, 0, "teacher training epochs"};
    f[n++] = (nn_cfg_field){"teacher_lr", NN_CFG_REAL, &s->teacher_lr, 1e-9, 100, NULL, NULL, 0, 0, "teacher learning rate (momentum 0.9)"};
    f[n++] = (nn_cfg_field){"guided", NN_CFG_INT, &s->guided, 1, NN_MAX_HIDDEN, NULL, NULL, 0, 0,
                            "student hidden layer (1-based) trained to predict the hint"};
    f[n++] = (nn_cfg_field){"hint_epochs", NN_CFG_INT, &s->hint_epochs, 0, 10000, NULL, NULL, 0, 0,
                            "epochs of hint training; the label training gets epochs - hint_epochs"};
    return n;
}

static const nn_exp_def def = {"fitnets", "A thin deep student trained with a wide shallow teacher's hint, against the student alone.", NN_EXP_BUILTIN_CONFIG, sizeof(settings), fields};

int main(int argc, char **argv)
{
    settings s = {0};
    nn_exp e;
    int rc = nn_exp_start(&e, &def, &s, argc, argv);
    if (rc >= 0) return rc;
    if (s.guided > s.net.n_hidden) return nn_exp_fail(&e, 2, "'guided' = %d but the student has %d hidden layers", s.guided, s.net.n_hidden);
    if (s.hint_epochs >= s.net.epochs)
        return nn_exp_fail(&e, 2, "'hint_epochs' (%d) must be below 'epochs' (%d): the student needs label training too",
                           s.hint_epochs, s.net.epochs);
    if ((rc = nn_exp_load_data(&e))) return rc;
    const nn_dataset *train = &e.data.train, *test = &e.data.test;
    nn_mlp_spec student;
    nn_optim opt;
    if ((rc = nn_exp_netcfg(&e, &s.net, &student, &opt))) return rc;
    nn_mlp_spec teacher_spec = {.n_input = train->d, .n_output = train->n_classes, .n_hidden = 1, .hidden = {s.teacher_hidden},
                                .act = {NN_RELU}, .out_act = NN_SOFTMAX, .loss = NN_LOSS_SOFTMAX_CE,
                                .w_init = {NN_INIT_HE_NORMAL, 1}, .b_init = {NN_INIT_ZERO, 0}};
    nn_mlp_spec hint_spec = student; /* layers 1 … guided, then a linear regressor onto the hint */
    hint_spec.n_hidden = s.guided;
    hint_spec.n_output = s.teacher_hidden;
    hint_spec.out_act = NN_LINEAR;
    hint_spec.loss = NN_LOSS_QUADRATIC;
    hint_spec.n_heads = 0;
    const int S = s.common.seeds, E = s.net.epochs;
    double acc_t[100], acc_h[100], acc_a[100];
    double *hint_loss = nn_calloc((size_t)s.hint_epochs + 1, sizeof(double));
    cJSON *hl_runs = cJSON_AddArrayToObject(e.summary, "hint_loss");
    nn_history *hh = nn_calloc((size_t)S, sizeof *hh), *ha = nn_calloc((size_t)S, sizeof *ha);
    for (int r = 0; r < S; r++) {
        uint64_t seed = (uint64_t)(s.common.seed + r);
        char label[80];
        /* the teacher */
        nn_net *teacher = nn_mlp_build(&teacher_spec, s.net.batch, seed * 10 + 1);
        nn_optim to = {.kind = NN_OPT_MOMENTUM, .lr = s.teacher_lr, .momentum = 0.9};
        nn_optim_init(&to, teacher);
        snprintf(label, sizeof label, "teacher seed %llu", (unsigned long long)seed);
        nn_train_cfg tc = {.epochs = s.teacher_epochs, .batch = s.net.batch, .seed = seed, .label = label, .progress = 1};
        nn_history h;
        nn_train(teacher, &to, train, test, &tc, &h);
        acc_t[r] = 100 * nn_exp_final(&h, offsetof(nn_epoch, test_acc));
        nn_exp_add_run(&e, "teacher", "teacher", seed, &h);
        nn_history_free(&h);
        nn_optim_free(&to);
        /* the student with hints: stage 1, then the labels */
        nn_net *hnet = nn_mlp_build(&hint_spec, s.net.batch, seed * 10 + 2);
        nn_optim ho = opt;
        ho.v = NULL;
        nn_optim_init(&ho, hnet);
        train_hints(hnet, &ho, teacher, train, s.hint_epochs, s.net.batch, seed, hint_loss);
        cJSON_AddItemToArray(hl_runs, nn_json_series(hint_loss, s.hint_epochs));
        nn_net *hinted = nn_mlp_build(&student, s.net.batch, seed * 10 + 2);
        nn_net_copy_params(hinted, hnet, "out."); /* the guided layers; the regressor is dropped */
        nn_optim so = opt;
        so.v = NULL;
        nn_optim_init(&so, hinted);
        snprintf(label, sizeof label, "student with hints seed %llu", (unsigned long long)seed);
        tc = (nn_train_cfg){.epochs = E - s.hint_epochs, .batch = s.net.batch, .seed = seed, .label = label, .progress = 1};
        nn_train(hinted, &so, train, test, &tc, &hh[r]);
        acc_h[r] = 100 * nn_exp_final(&hh[r], offsetof(nn_epoch, test_acc));
        cJSON *run = nn_exp_add_run(&e, "hinted", "student-with-hints", seed, &hh[r]);
        cJSON_AddItemToObject(run, "hint_loss", nn_json_series(hint_loss, s.hint_epochs));
        nn_optim_free(&so), nn_optim_free(&ho);
        /* the student alone, same total epochs */
        snprintf(label, sizeof label, "student alone seed %llu", (unsigned long long)seed);
        tc = (nn_train_cfg){.epochs = E, .batch = s.net.batch, .label = label, .progress = 1};
        nn_exp_train_mlp(&student, &opt, tc, seed * 10 + 2, train, test, &ha[r]);
        acc_a[r] = 100 * nn_exp_final(&ha[r], offsetof(nn_epoch, test_acc));
        nn_exp_add_run(&e, "alone", "student-alone", seed, &ha[r]);
        nn_net_free(teacher), nn_net_free(hnet), nn_net_free(hinted);
    }
    double mt, st, mh, sh, ma, sa;
    nn_mean_std(acc_t, S, &mt, &st);
    nn_mean_std(acc_h, S, &mh, &sh);
    nn_mean_std(acc_a, S, &ma, &sa);
    char cap[240];
    snprintf(cap, sizeof cap, "Teacher 784-%d-%d (ReLU), student %d x %d %s; hint on student layer %d for %d of %d epochs; test "
             "accuracy, mean ± std over %d seeds", s.teacher_hidden, train->n_classes, student.n_hidden, student.hidden[0],
             nn_act_name(student.act[0]), s.guided, s.hint_epochs, E, S);
    const char *cols[] = {"net", "parameters", "test accuracy (%)", "std"};
    cJSON *table = nn_exp_table(&e, cap, 4, cols);
    nn_net *probe_t = nn_mlp_build(&teacher_spec, 1, 1), *probe_s = nn_mlp_build(&student, 1, 1);
    nn_exp_row(table, "sinn", "teacher (wide, shallow)", (int)probe_t->n_params, mt, st);
    nn_exp_row(table, "sinn", "student with hints", (int)probe_s->n_params, mh, sh);
    nn_exp_row(table, "sinn", "student alone", (int)probe_s->n_params, ma, sa);
    nn_net_free(probe_t), nn_net_free(probe_s);
    cJSON *c = cJSON_AddObjectToObject(e.summary, "curves");
    cJSON_AddItemToObject(c, "hinted", nn_exp_history_mean_std(hh, S, offsetof(nn_epoch, test_acc)));
    cJSON_AddItemToObject(c, "alone", nn_exp_history_mean_std(ha, S, offsetof(nn_epoch, test_acc)));
    cJSON_AddNumberToObject(e.summary, "hint_epochs", s.hint_epochs);
    cJSON_AddItemToObject(e.summary, "teacher_test_acc", nn_json_num(mt));
    nn_exp_say(&e, "teacher %.2f %%, student with hints %.2f %%, student alone %.2f %%", mt, mh, ma);
    for (int r = 0; r < S; r++) nn_history_free(&hh[r]), nn_history_free(&ha[r]);
    free(hh), free(ha), free(hint_loss);
    {
        nn_claim hc = {.id = "hints-help-student",
                      .statement = "A thin deep student first trained to predict a wide teacher's middle-layer hint ends with a "
                                   "higher test accuracy than the same student trained on the labels alone for the same epochs",
                      .source = "seed 002 (FitNets: teacher hints); Romero et al. 2015",
                      .quantity = "test accuracy, hinted minus alone (means over seeds), points", .op = ">", .threshold = 0,
                      .rule_note = "Judged on the means over seeds; both students must leave chance, or the comparison says "
                                   "nothing about hints."};
        nn_exp_require_trained(&e, &hc, "the student trained alone leaves chance (mean test accuracy, %)", ma);
        nn_exp_require_trained(&e, &hc, "the hinted student leaves chance (mean test accuracy, %)", mh);
        nn_exp_claim_once(&e, &hc, mh - ma);
    }
    return nn_exp_finish(&e);
}
