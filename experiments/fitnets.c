/* fitnets — a thin, deep student guided by a wide, shallow teacher's hints (seed 002; Romero et al. 2015).
 *
 * A thin deep net is hard to train from scratch: its early layers get little gradient (notes
 * 2 and 3). FitNets first trains the student's lower half to reproduce an intermediate
 * representation of a trained teacher — the *hint*: the student's guided layer, mapped by a
 * learned linear regressor r, should match the teacher's hint layer, L_hint = ½‖h_teacher − r(g_student)‖².
 * Only then is the whole student trained on the labels. Against: the same student trained
 * on the labels alone for the same total number of epochs.
 *
 * The arms (config "arms") are the students: the lecture's thin sigmoid net, which alone
 * stays at chance (that failure is a claim of its own), and a ReLU student that trains
 * alone, where the comparison with hints is fair. A hint stage whose loss or parameters
 * stop being finite is recorded per seed; that seed's hinted student gives no measurement.
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
 * teacher's hint layer on every mini-batch. Returns 0, or the 1-based epoch in which the hint
 * loss or the parameters stopped being finite (the stage failed; later epochs are NaN). */
static int train_hints(nn_net *hnet, nn_optim *opt, nn_net *teacher, const nn_dataset *train, int epochs, int batch,
                       uint64_t seed, double *loss_per_epoch)
{
    nn_mlp_layout lo;
    nn_mlp_layout_of(teacher, &lo);
    const nn_layer *hint = &teacher->layers[lo.act[0]];
    int *idx = nn_calloc((size_t)train->n, sizeof(int));
    nn_real *X = nn_calloc((size_t)batch * train->d, sizeof(nn_real));
    nn_real *Y = nn_calloc((size_t)batch * hint->n, sizeof(nn_real));
    for (int i = 0; i < train->n; i++) idx[i] = i;
    nn_rng shuf;
    nn_rng_seed(&shuf, seed ^ 0x417e5ull);
    int failed = 0;
    for (int e = 0; e < epochs; e++) {
        if (failed) {
            loss_per_epoch[e] = NAN;
            continue;
        }
        nn_rng_shuffle(&shuf, idx, train->n);
        double sum = 0;
        for (int start = 0; start < train->n && !failed; start += batch) {
            int B = nn_min_i(batch, train->n - start);
            nn_dataset_gather(train, idx + start, B, X, NULL);
            nn_net_forward(teacher, X, B, NN_EVAL);
            memcpy(Y, hint->out, (size_t)B * hint->n * sizeof(nn_real));
            nn_net_forward(hnet, X, B, NN_TRAIN);
            double l = nn_net_loss(hnet, Y, 1);
            sum += B * l;
            nn_net_zero_grad(hnet);
            nn_net_backward(hnet);
            if (!isfinite(l) || nn_optim_step(opt, hnet, opt->lr) != 0) failed = e + 1;
        }
        loss_per_epoch[e] = failed ? NAN : sum / train->n;
    }
    free(idx), free(X), free(Y);
    return failed;
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

static int student_arm(nn_exp *e, const settings *as, const char *arm, cJSON *arms_out, cJSON *table)
{
    const nn_dataset *train = &e->data.train, *test = &e->data.test;
    nn_mlp_spec student;
    nn_optim opt;
    int rc;
    if (as->guided > as->net.n_hidden)
        return nn_exp_fail(e, 2, "arm '%s': 'guided' = %d but the student has %d hidden layers", arm, as->guided, as->net.n_hidden);
    if (as->hint_epochs >= as->net.epochs)
        return nn_exp_fail(e, 2, "arm '%s': 'hint_epochs' (%d) must be below 'epochs' (%d): the student needs label training too",
                           arm, as->hint_epochs, as->net.epochs);
    if ((rc = nn_exp_netcfg(e, &as->net, &student, &opt))) return rc;
    nn_mlp_spec teacher_spec = {.n_input = train->d, .n_output = train->n_classes, .n_hidden = 1, .hidden = {as->teacher_hidden},
                                .act = {NN_RELU}, .out_act = NN_SOFTMAX, .loss = NN_LOSS_SOFTMAX_CE,
                                .w_init = {NN_INIT_HE_NORMAL, 1}, .b_init = {NN_INIT_ZERO, 0}};
    nn_mlp_spec hint_spec = student; /* layers 1 … guided, then a linear regressor onto the hint */
    hint_spec.n_hidden = as->guided;
    hint_spec.n_output = as->teacher_hidden;
    hint_spec.out_act = NN_LINEAR;
    hint_spec.loss = NN_LOSS_QUADRATIC;
    hint_spec.n_heads = 0;
    const int S = e->S, E = as->net.epochs, HE = as->hint_epochs;
    double *acc_t = nn_exp_vec(e), *acc_h = nn_exp_vec(e), *acc_a = nn_exp_vec(e);
    cJSON *ao = cJSON_CreateObject(), *hl_runs = cJSON_CreateArray(), *failed = cJSON_CreateArray();
    nn_history *hh = nn_exp_alloc(e, (size_t)S, sizeof *hh), *ha = nn_exp_alloc(e, (size_t)S, sizeof *ha);
    double *hint_loss = nn_exp_alloc(e, (size_t)HE + 1, sizeof(double));
    for (int r = 0; r < S; r++) {
        uint64_t seed = (uint64_t)e->seeds[r];
        /* the teacher */
        nn_net *teacher = nn_exp_build(&teacher_spec, as->net.batch, seed * 10 + 1);
        nn_optim to = {.kind = NN_OPT_MOMENTUM, .lr = as->teacher_lr, .momentum = 0.9};
        nn_optim_init(&to, teacher);
        nn_train_cfg tc = {.epochs = as->teacher_epochs, .batch = as->net.batch, .seed = seed,
                           .label = nn_exp_str(e, "%s teacher seed %llu", arm, (unsigned long long)seed), .progress = 1};
        nn_history h;
        nn_exp_train(teacher, &to, train, test, &tc, &h);
        acc_t[r] = 100 * nn_exp_final(&h, offsetof(nn_epoch, test_acc));
        nn_exp_add_run(e, arm, nn_exp_str(e, "%s-teacher", arm), seed, &h);
        nn_history_free(&h);
        nn_optim_free(&to);
        /* the student with hints: stage 1, then the labels */
        nn_net *hnet = nn_exp_build(&hint_spec, as->net.batch, seed * 10 + 2);
        nn_optim ho = opt;
        ho.v = NULL;
        nn_optim_init(&ho, hnet);
        int fail = train_hints(hnet, &ho, teacher, train, HE, as->net.batch, seed, hint_loss);
        cJSON_AddItemToArray(hl_runs, nn_json_series(hint_loss, HE));
        nn_net *hinted = nn_exp_build(&student, as->net.batch, seed * 10 + 2);
        const char *hlabel = nn_exp_str(e, "%s-student-with-hints", arm);
        if (fail) {
            cJSON *f = cJSON_CreateObject();
            cJSON_AddNumberToObject(f, "seed", (double)seed);
            cJSON_AddStringToObject(f, "stage", "hint");
            cJSON_AddNumberToObject(f, "epoch", fail);
            cJSON_AddItemToArray(failed, f);
            nn_exp_say(e, "%s seed %llu: the hint stage diverged in epoch %d; this seed's hinted student gives no measurement",
                       arm, (unsigned long long)seed, fail);
            hh[r] = (nn_history){0};
            cJSON *run = nn_exp_add_run(e, arm, hlabel, seed, &hh[r]);
            cJSON_AddItemToObject(run, "hint_loss", nn_json_series(hint_loss, HE));
            cJSON_AddStringToObject(run, "failed", "hint stage diverged");
        } else {
            nn_net_copy_params(hinted, hnet, "out."); /* the guided layers; the regressor is dropped */
            nn_optim so = opt;
            so.v = NULL;
            nn_optim_init(&so, hinted);
            tc = (nn_train_cfg){.epochs = E - HE, .batch = as->net.batch, .seed = seed,
                                .label = nn_exp_str(e, "%s student with hints seed %llu", arm, (unsigned long long)seed),
                                .progress = 1};
            nn_exp_train(hinted, &so, train, test, &tc, &hh[r]);
            acc_h[r] = 100 * nn_exp_final(&hh[r], offsetof(nn_epoch, test_acc));
            cJSON *run = nn_exp_add_run(e, arm, hlabel, seed, &hh[r]);
            cJSON_AddItemToObject(run, "hint_loss", nn_json_series(hint_loss, HE));
            nn_optim_free(&so);
        }
        nn_optim_free(&ho);
        /* the student alone, same total epochs */
        tc = (nn_train_cfg){.epochs = E, .batch = as->net.batch,
                            .label = nn_exp_str(e, "%s student alone seed %llu", arm, (unsigned long long)seed), .progress = 1};
        nn_exp_train_mlp(&student, &opt, tc, seed * 10 + 2, train, test, &ha[r]);
        acc_a[r] = 100 * nn_exp_final(&ha[r], offsetof(nn_epoch, test_acc));
        nn_exp_add_run(e, arm, nn_exp_str(e, "%s-student-alone", arm), seed, &ha[r]);
        nn_net_free(teacher), nn_net_free(hnet), nn_net_free(hinted);
    }
    const char *act = nn_act_name(student.act[0]);
    const char *title = nn_exp_str(e, "%s: student %d x %d %s, %s η = %g; hint on layer %d for %d of %d epochs", arm,
                                   student.n_hidden, student.hidden[0], act, as->net.optimizer, as->net.lr, as->guided, HE, E);
    double mt, st, mh, sh, ma, sa;
    int kt = nn_mean_std_n(acc_t, S, &mt, &st), kh = nn_mean_std_n(acc_h, S, &mh, &sh), ka = nn_mean_std_n(acc_a, S, &ma, &sa);
    nn_net *probe_t = nn_exp_build(&teacher_spec, 1, 1), *probe_s = nn_exp_build(&student, 1, 1);
    nn_exp_row(table, "ssinni", title, nn_exp_str(e, "teacher 784-%d-%d (ReLU)", as->teacher_hidden, train->n_classes),
               (int)probe_t->n_params, mt, st, kt);
    nn_exp_row(table, "ssinni", title, "student with hints", (int)probe_s->n_params, mh, sh, kh);
    nn_exp_row(table, "ssinni", title, "student alone", (int)probe_s->n_params, ma, sa, ka);
    const double params_t = (double)probe_t->n_params, params_s = (double)probe_s->n_params;
    nn_net_free(probe_t), nn_net_free(probe_s);
    cJSON_AddStringToObject(ao, "name", arm);
    cJSON_AddStringToObject(ao, "title", title);
    cJSON_AddNumberToObject(ao, "hint_epochs", HE);
    cJSON_AddNumberToObject(ao, "epochs", E);
    cJSON_AddItemToObject(ao, "teacher_test_acc", nn_json_num(mt));
    cJSON_AddItemToObject(ao, "hinted", nn_exp_history_mean_std(hh, S, offsetof(nn_epoch, test_acc)));
    cJSON_AddNumberToObject(ao, "hinted_seeds_averaged", kh);
    cJSON_AddItemToObject(ao, "alone", nn_exp_history_mean_std(ha, S, offsetof(nn_epoch, test_acc)));
    cJSON_AddNumberToObject(ao, "alone_seeds_averaged", ka);
    cJSON_AddItemToObject(ao, "hint_loss", hl_runs);
    cJSON_AddItemToObject(ao, "failed_stages", failed);
    cJSON_AddItemToArray(arms_out, ao);
    nn_exp_say(e, "%s: teacher %.2f %%, student with hints %.2f %% (%d of %d seeds), student alone %.2f %%", arm, mt, mh, kh, S, ma);
    for (int r = 0; r < S; r++) nn_history_free(&hh[r]), nn_history_free(&ha[r]);

    if (student.act[0] == NN_SIGMOID)
        nn_exp_claim_stalls(e, NN_SETUP, nn_exp_str(e, "student-alone-stalls[%s]", arm),
                            nn_exp_str(e, "The thin deep student (%d x %d sigmoid, η = %g) trained on the labels alone for %d "
                                          "epochs stays at chance", student.n_hidden, student.hidden[0], as->net.lr, E),
                            "seed 002 (FitNets: thin deep nets are hard to train); Romero et al. 2015", acc_a);
    nn_claim hc = {.kind = NN_LECTURE, .id = nn_exp_str(e, "hints-help-student[%s]", arm),
                   .statement = nn_exp_str(e, "A thin deep %s student first trained to predict a wide teacher's middle-layer "
                                              "hint ends with a higher test accuracy than the same student trained on the "
                                              "labels alone for the same epochs", act),
                   .source = "seed 002 (FitNets: teacher hints); Romero et al. 2015",
                   .quantity = "test accuracy, hinted minus alone (same seed), points", .op = ">", .threshold = 0,
                   .rule_note = "A seed whose hint stage diverged gives no measurement."};
    nn_exp_claim_gain(e, &hc, acc_h, acc_a, nn_exp_str(e, "the %s student trained alone", act), e->data.test.n);

    /* seed 002:304: the thin deep student can generalize better than its teacher with far fewer parameters */
    double *over = nn_exp_vec(e);
    for (int r = 0; r < S; r++) over[r] = acc_h[r] - acc_t[r];
    nn_claim sb = {.kind = NN_LECTURE, .id = nn_exp_str(e, "student-beats-teacher[%s]", arm),
                   .statement = nn_exp_str(e, "The thin deep %s student trained with hints (%.0f parameters) generalizes better "
                                              "than its teacher (%.0f): a higher test accuracy", act, params_s, params_t),
                   .source = "seed 002:304; Romero et al. 2015",
                   .quantity = "test accuracy, hinted student − teacher (same seed), points", .op = ">", .threshold = 0,
                   .rule_note = "A seed whose hint stage diverged gives no measurement."};
    nn_claim_require(&sb, "the student has fewer parameters than the teacher (student / teacher)", params_s / params_t, "<", 1);
    nn_exp_claim_gain(e, &sb, acc_h, acc_t, "the teacher", e->data.test.n);
    return 0;
}

int main(int argc, char **argv)
{
    settings s = {0};
    nn_exp e;
    int rc = nn_exp_start(&e, &def, &s, argc, argv);
    if (rc >= 0) return rc;
    if ((rc = nn_exp_load_data(&e))) return rc;
    const char *cols[] = {"arm", "net", "parameters", "test accuracy (%)", "std", "seeds averaged"};
    cJSON *table = nn_exp_table(&e, nn_exp_str(&e, "Teacher, student with hints and student alone: test accuracy, mean ± std "
                                                    "over the seeds that finished (%d seeds ran)", e.S), 6, cols);
    cJSON *arms_out = cJSON_AddArrayToObject(e.summary, "arms");
    for (int a = 0; a < e.n_arms; a++)
        if ((rc = student_arm(&e, e.arm_set[a], e.arm_name[a], arms_out, table))) return rc;
    return nn_exp_finish(&e);
}
