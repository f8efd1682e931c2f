/* fitnets — a thin, deep student guided by a wide, shallow teacher's hint (seed 002; Romero et al. 2015).
 *
 * A thin deep net has few parameters but is hard to train from scratch: little gradient reaches
 * its early layers (notes 2 and 3). FitNets trains it in two stages. Stage 1, the *hint*: the
 * student's layers 1 … guided, then a learned linear regressor r, are trained so that r(g_student)
 * matches a hidden layer of an already trained teacher, L_hint = ½‖h_teacher − r(g_student)‖².
 * Stage 2: the regressor is dropped and the whole student, its guided layers as stage 1 left them,
 * is trained on the labels. The control: the same student (same initial weights) trained on the
 * labels alone for the same total number of epochs.
 *
 * The arms (config "arms") are students: the lecture's thin sigmoid net, which alone stays at
 * chance (a setup claim of its own), and a ReLU student that trains alone, against which a gain
 * can be judged. Each arm gives three conditions, run in this order, each over the seeds: its
 * teacher (one ReLU hidden layer of teacher_hidden units, the hint layer), its hinted student,
 * which learns from the teacher the first condition trained from the same seed, and its student
 * alone. A hint stage whose loss or parameters stop being finite is recorded (its epoch); that
 * seed's hinted student gives no measurement.
 *
 * Settings: experiments/fitnets.json (every key: bin/fitnets --help). The student is the network
 * keys (`hidden`, `activation`, …); the teacher has its own keys.
 */
#include <math.h>
#include <string.h>

#include "nnlab.h"

enum { TEACHER, HINTED, ALONE }; /* an arm's conditions, in this order */

typedef struct settings {
    nn_exp_common common;
    nn_netcfg net; /* the student */
    int teacher_hidden, teacher_epochs;
    double teacher_lr;
    int guided;    /* student hidden layer (1-based) that receives the hint */
    int hint_epochs;
    int role;            /* a condition's: which net it trains */
    nn_mlp_spec student; /* the student and its optimizer, resolved against the data */
    nn_optim opt;
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
    f[n++] =
        (nn_cfg_field){"teacher_epochs", NN_CFG_INT, &s->teacher_epochs, 1, 10000, NULL, NULL, 0, 0, "teacher training epochs"};
    f[n++] = (nn_cfg_field){
        "teacher_lr", NN_CFG_REAL, &s->teacher_lr, 1e-9, 100, NULL, NULL, 0, 0, "teacher learning rate (momentum 0.9)"};
    f[n++] = (nn_cfg_field){"guided", NN_CFG_INT, &s->guided, 1, NN_MAX_HIDDEN, NULL, NULL, 0, 0,
                            "student hidden layer (1-based) trained to predict the hint"};
    f[n++] = (nn_cfg_field){"hint_epochs", NN_CFG_INT, &s->hint_epochs, 0, 10000, NULL, NULL, 0, 0,
                            "epochs of hint training; the label training gets epochs - hint_epochs"};
    return n;
}

static const nn_exp_def def = {"fitnets",
                               "A thin deep student trained with a wide shallow teacher's hint, against the student alone.",
                               NN_EXP_BUILTIN_CONFIG, sizeof(settings), fields};

/* one net for one seed; ctx holds the S teachers of the arm that runs (from its TEACHER condition to its HINTED one) */
static int cell(nn_exp *e, const nn_cell *c, void *ctx)
{
    const settings *s = c->set;
    nn_net **teachers = ctx;
    const nn_dataset *train = &e->data.train, *test = &e->data.test;
    const int B = s->net.batch, E = s->net.epochs, HE = s->hint_epochs;
    nn_train_cfg tc = {.batch = B, .seed = c->seed, .progress = 1,
                       .label = nn_exp_str(e, "%s seed %llu", c->name, (unsigned long long)c->seed)};
    nn_history h = {0};
    nn_net *net;
    double *hint_loss = NULL;
    int fail = 0;
    if (s->role == TEACHER) {
        nn_mlp_spec ts = {.n_input = train->d, .n_output = train->n_classes, .n_hidden = 1, .hidden = {s->teacher_hidden},
                          .act = {NN_RELU}, .out_act = NN_SOFTMAX, .loss = NN_LOSS_SOFTMAX_CE,
                          .w_init = {NN_INIT_HE_NORMAL, 1}, .b_init = {NN_INIT_ZERO, 0}};
        net = teachers[c->r] = nn_exp_build(&ts, B, c->seed * 10 + 1);
        nn_optim to = {.kind = NN_OPT_MOMENTUM, .lr = s->teacher_lr, .momentum = 0.9};
        nn_optim_init(&to, net);
        tc.epochs = s->teacher_epochs;
        nn_exp_train(net, &to, train, test, &tc, &h);
        nn_optim_free(&to);
        nn_measure_history(e, c, &h);
    } else if (s->role == ALONE) { /* built, and its mini-batches drawn, from seed·10 + 2 */
        nn_cell k = *c;
        k.seed = c->seed * 10 + 2;
        tc.epochs = E;
        net = nn_cell_train(e, &k, &s->student, &s->opt, tc, &h);
    } else { /* stage 1 on a net of the guided layers and the regressor, then the student from those layers */
        nn_mlp_spec hs = s->student;
        hs.n_hidden = s->guided, hs.n_output = s->teacher_hidden, hs.out_act = NN_LINEAR, hs.loss = NN_LOSS_QUADRATIC;
        hs.n_heads = 0;
        nn_net *hnet = nn_exp_build(&hs, B, c->seed * 10 + 2);
        nn_optim ho = s->opt;
        ho.v = NULL;
        nn_optim_init(&ho, hnet);
        hint_loss = nn_calloc((size_t)HE + 1, sizeof(double));
        fail = train_hints(hnet, &ho, teachers[c->r], train, HE, B, c->seed, hint_loss);
        net = nn_exp_build(&s->student, B, c->seed * 10 + 2);
        if (fail) { /* the student gets no label training: an empty record, no measurement */
            nn_exp_say(e, "%s seed %llu: the hint stage diverged in epoch %d; this seed's hinted student gives no measurement",
                       c->name, (unsigned long long)c->seed, fail);
        } else {
            nn_net_copy_params(net, hnet, "out."); /* the guided layers; the regressor is dropped */
            nn_optim so = s->opt;
            so.v = NULL;
            nn_optim_init(&so, net);
            tc.epochs = E - HE;
            nn_exp_train(net, &so, train, test, &tc, &h);
            nn_optim_free(&so);
        }
        nn_measure_history(e, c, &h);
        nn_optim_free(&ho);
        nn_net_free(hnet), nn_net_free(teachers[c->r]);
        teachers[c->r] = NULL;
    }
    /* every net: its final test accuracy (%) and its size (its test accuracy per epoch is in its history) */
    nn_measure(e, c, "test_acc", 100 * nn_exp_final(&h, offsetof(nn_epoch, test_acc)));
    nn_measure(e, c, "parameters", (double)net->n_params);
    if (hint_loss) nn_measure_series(e, c, "hint_loss", hint_loss, HE), free(hint_loss);
    if (fail) nn_measure(e, c, "hint_diverged_epoch", fail);
    nn_history_free(&h);
    if (s->role != TEACHER) nn_net_free(net);
    return 0;
}

static int run(nn_exp *e, void *set)
{
    (void)set; /* the arms' settings are the conditions' */
    int rc;
    /* per arm its teacher, hinted student and student alone; x: the epochs each is trained on the labels */
    const char *kind[3] = {"teacher", "student-with-hints", "student-alone"};
    for (int a = 0; a < e->n_arms; a++) {
        const char *arm = e->arm_name[a];
        settings as = *(const settings *)e->arm_set[a];
        if (as.guided > as.net.n_hidden)
            return nn_exp_fail(e, 2, "arm '%s': 'guided' = %d but the student has %d hidden layers", arm, as.guided,
                               as.net.n_hidden);
        if (as.hint_epochs >= as.net.epochs)
            return nn_exp_fail(e, 2,
                               "arm '%s': 'hint_epochs' (%d) must be below 'epochs' (%d): the student needs label training too",
                               arm, as.hint_epochs, as.net.epochs);
        if ((rc = nn_exp_netcfg(e, &as.net, &as.student, &as.opt))) return rc;
        const int E = as.net.epochs, HE = as.hint_epochs;
        const double x[3] = {as.teacher_epochs, E - HE, E};
        const char *label[3] = {
            nn_exp_str(e, "%s: teacher 784-%d-%d (ReLU)", arm, as.teacher_hidden, e->data.train.n_classes),
            nn_exp_str(e, "%s: student %d x %d %s, %s η = %g; hint on layer %d for %d of %d epochs", arm, as.student.n_hidden,
                       as.student.hidden[0], nn_act_name(as.student.act[0]), as.net.optimizer, as.net.lr, as.guided, HE, E),
            nn_exp_str(e, "%s: student alone, %d epochs on the labels", arm, E)};
        for (as.role = TEACHER; as.role <= ALONE; as.role++)
            nn_grid_condition(e, nn_exp_str(e, "%s-%s", arm, kind[as.role]), label[as.role], &as, kind[as.role], x[as.role]);
    }
    nn_net **teachers = nn_exp_alloc(e, (size_t)e->S, sizeof(nn_net *));
    if ((rc = nn_grid_run(e, cell, teachers)) >= 0) return rc;

    const char *cols[] = {"arm", "net", "parameters", "test accuracy (%)", "std", "seeds averaged"};
    cJSON *table = nn_exp_table(e, nn_exp_str(e, "Teacher, student with hints and student alone: test accuracy, mean ± std "
                                                    "over the seeds that finished (%d seeds ran)", e->S), 6, cols);
    for (int a = 0; a < e->n_arms; a++) {
        const int t = 3 * a + TEACHER, hd = 3 * a + HINTED, al = 3 * a + ALONE;
        const settings *as = nn_grid_set(e, t);
        const char *arm = e->arm_name[a], *act = nn_act_name(as->student.act[0]), *title = nn_grid_label(e, hd);
        const char *net[3] = {nn_exp_str(e, "teacher 784-%d-%d (ReLU)", as->teacher_hidden, e->data.train.n_classes),
                              "student with hints", "student alone"};
        for (int k = 0; k < 3; k++) {
            double m, sd;
            int n = nn_grid_mean_std(e, t + k, "test_acc", &m, &sd);
            nn_exp_row(table, "ssinni", title, net[k], (int)nn_grid_values(e, t + k, "parameters")[0], m, sd, n);
        }
        const double *acc_t = nn_grid_values(e, t, "test_acc"), *acc_h = nn_grid_values(e, hd, "test_acc"),
                     *acc_a = nn_grid_values(e, al, "test_acc");
        const double params_t = nn_grid_values(e, t, "parameters")[0], params_s = nn_grid_values(e, al, "parameters")[0];
        const int E = as->net.epochs;

        if (as->student.act[0] == NN_SIGMOID)
            nn_exp_claim_stalls(e, NN_SETUP, nn_exp_str(e, "student-alone-stalls[%s]", arm),
                                nn_exp_str(e,
                                           "The thin deep student (%d x %d sigmoid, η = %g) trained on the labels alone for %d "
                                           "epochs stays at chance",
                                           as->student.n_hidden, as->student.hidden[0], as->net.lr, E),
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
        nn_claim sb = {.kind = NN_LECTURE,
                       .id = nn_exp_str(e, "student-beats-teacher[%s]", arm),
                       .statement = nn_exp_str(e,
                                               "The thin deep %s student trained with hints (%.0f parameters) generalizes better "
                                               "than its teacher (%.0f): a higher test accuracy",
                                               act, params_s, params_t),
                       .source = "seed 002:304; Romero et al. 2015",
                       .quantity = "test accuracy, hinted student − teacher (same seed), points",
                       .op = ">",
                       .threshold = 0,
                       .rule_note = "A seed whose hint stage diverged gives no measurement."};
        nn_claim_require(&sb, "the student has fewer parameters than the teacher (student / teacher)", params_s / params_t, "<",
                         1);
        nn_exp_claim_gain(e, &sb, acc_h, acc_t, "the teacher", e->data.test.n);
    }
    return -1;
}

int main(int argc, char **argv) { return nn_exp_main(&def, run, argc, argv); }
