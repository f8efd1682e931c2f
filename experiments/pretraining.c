/* pretraining — greedy supervised layer-wise pre-training and transfer learning (seed 002).
 *
 * (a) Greedy supervised pre-training: train a net with one hidden layer; then put a new
 * hidden layer (and a new output layer) on top of the trained one and train again with the
 * layers below frozen; and so on up to the full depth; finally fine-tune every layer. Each
 * stage is a shallow problem, so every layer is trained while it is close to an output.
 * The same deep sigmoid net trained from scratch for the same total number of epochs is
 * the baseline.
 * (b) Transfer learning: train a net on five Fashion-MNIST classes (plenty of labels),
 * then give its hidden layers to a new net for the other five classes, which has only a
 * few labelled examples per class, and train it; against the same net trained from scratch
 * on those few examples.
 *
 * Settings: experiments/pretraining.json (every key: bin/pretraining --help).
 */
#include <math.h>
#include <string.h>

#include "nnlab.h"

typedef struct settings {
    nn_exp_common common;
    nn_netcfg net;
    int stage_epochs, finetune_epochs;
    char transfer_data[NN_STR];
    int source_epochs, target_per_class, target_epochs;
    int transfer_hidden[NN_MAX_HIDDEN], n_transfer_hidden;
} settings;

typedef struct freeze {
    int below;  /* hidden layers 1 … below are frozen */
} freeze;

/* zero the gradients of the frozen layers before the optimizer step */
static int frozen_grads(nn_train_ctx *ctx, void *user)
{
    const freeze *fz = user;
    nn_net *net = ctx->net;
    for (int t = 0; t < net->n_tensors; t++) {
        int k;
        if (sscanf(net->tensors[t].name, "hidden%d.", &k) == 1 && k <= fz->below)
            memset(net->grads + net->tensors[t].offset, 0, net->tensors[t].size * sizeof(nn_real));
    }
    return 0;
}

static double train_net(nn_net *net, const nn_optim *opt, const nn_dataset *train, const nn_dataset *test, int epochs,
                        int batch, uint64_t seed, freeze *fz, const char *label, nn_history *h)
{
    nn_optim o = *opt;
    o.v = NULL;
    nn_optim_init(&o, net);
    nn_train_cfg tc = {.epochs = epochs, .batch = batch, .seed = seed, .before_update = fz ? frozen_grads : NULL, .user = fz,
                       .label = label, .progress = 1};
    nn_train(net, &o, train, test, &tc, h);
    nn_optim_free(&o);
    return 100 * nn_exp_final(h, offsetof(nn_epoch, test_acc));
}

static const char *const data_names[] = {"mnist", "fashion", NULL};

/* network keys the program sets itself */
static const nn_cfg_refusal not_honoured[] = {{"epochs", "the stages take 'stage_epochs', 'finetune_epochs', 'source_epochs' and 'target_epochs'"}, {NULL, NULL}};

static int fields(void *p, nn_cfg_field *f, nn_cfg_refusal *r, int *n_r)
{
    settings *s = p;
    int n = nn_exp_common_fields(&s->common, f);
    n += nn_netcfg_fields_except(&s->net, f + n, not_honoured, r, n_r);
    f[n++] = (nn_cfg_field){"stage_epochs", NN_CFG_INT, &s->stage_epochs, 1, 10000, NULL, NULL, 0, 0,
                            "(a) epochs of each greedy stage (one per hidden layer)"};
    f[n++] = (nn_cfg_field){"finetune_epochs", NN_CFG_INT, &s->finetune_epochs, 0, 10000, NULL, NULL, 0, 0,
                            "(a) epochs of fine-tuning every layer at the end"};
    f[n++] = (nn_cfg_field){"transfer_data", NN_CFG_STR, s->transfer_data, 0, 0, data_names, NULL, 0, 0,
                            "(b) data set: classes 0-4 are the source task, 5-9 the target task"};
    f[n++] = (nn_cfg_field){"transfer_hidden", NN_CFG_INT_LIST, s->transfer_hidden, 1, 100000, NULL, &s->n_transfer_hidden,
                            NN_MAX_HIDDEN, 1, "(b) hidden widths of the transfer nets (activation and init as above)"};
    f[n++] = (nn_cfg_field){"source_epochs", NN_CFG_INT, &s->source_epochs, 1, 10000, NULL, NULL, 0, 0, "(b) epochs on the source task"};
    f[n++] = (nn_cfg_field){"target_per_class", NN_CFG_INT, &s->target_per_class, 1, 100000, NULL, NULL, 0, 0,
                            "(b) labelled training examples per target class"};
    f[n++] = (nn_cfg_field){"target_epochs", NN_CFG_INT, &s->target_epochs, 1, 100000, NULL, NULL, 0, 0,
                            "(b) epochs on the few target examples (both nets)"};
    return n;
}

static const nn_exp_def def = {"pretraining", "Greedy supervised layer-wise pre-training; transfer to new classes with few labels.", NN_EXP_BUILTIN_CONFIG, sizeof(settings), fields};

int main(int argc, char **argv)
{
    settings s = {0};
    nn_exp e;
    int rc = nn_exp_start(&e, &def, &s, argc, argv);
    if (rc >= 0) return rc;
    if ((rc = nn_exp_load_data(&e))) return rc;
    nn_mlp_spec full;
    nn_optim opt;
    if ((rc = nn_exp_netcfg(&e, &s.net, &full, &opt))) return rc;
    const int S = s.common.seeds, K = full.n_hidden;
    if (K < 2) return nn_exp_fail(&e, 2, "'hidden' needs at least 2 layers to pre-train greedily");
    const int total = K * s.stage_epochs + s.finetune_epochs;

    /* (a) greedy supervised pre-training against scratch */
    double greedy[100], scratch[100], stage_acc[NN_MAX_HIDDEN][100];
    for (int r = 0; r < S; r++) {
        uint64_t seed = (uint64_t)(s.common.seed + r);
        nn_net *prev = NULL;
        nn_history h;
        char label[96];
        for (int k = 1; k <= K; k++) {
            nn_mlp_spec sp = full;
            sp.n_hidden = k;
            nn_net *net = nn_mlp_build(&sp, s.net.batch, seed * 100 + (uint64_t)k);
            if (prev) nn_net_copy_params(net, prev, "out."); /* the trained layers below; a new top and output */
            freeze fz = {.below = k - 1};
            snprintf(label, sizeof label, "greedy stage %d seed %llu", k, (unsigned long long)seed);
            stage_acc[k - 1][r] = train_net(net, &opt, &e.data.train, &e.data.test, s.stage_epochs, s.net.batch, seed, &fz,
                                            label, &h);
            snprintf(label, sizeof label, "greedy-stage-%d", k);
            nn_exp_add_run(&e, "greedy", label, seed, &h);
            nn_history_free(&h);
            nn_net_free(prev);
            prev = net;
        }
        snprintf(label, sizeof label, "greedy fine-tune seed %llu", (unsigned long long)seed);
        greedy[r] = s.finetune_epochs > 0 ? train_net(prev, &opt, &e.data.train, &e.data.test, s.finetune_epochs, s.net.batch,
                                                      seed, NULL, label, &h)
                                          : stage_acc[K - 1][r];
        if (s.finetune_epochs > 0) {
            nn_exp_add_run(&e, "greedy", "greedy-finetune", seed, &h);
            nn_history_free(&h);
        }
        nn_net_free(prev);
        nn_net *net = nn_mlp_build(&full, s.net.batch, seed * 100 + 99);
        snprintf(label, sizeof label, "scratch seed %llu", (unsigned long long)seed);
        scratch[r] = train_net(net, &opt, &e.data.train, &e.data.test, total, s.net.batch, seed, NULL, label, &h);
        nn_exp_add_run(&e, "scratch", "scratch", seed, &h);
        nn_history_free(&h);
        nn_net_free(net);
    }
    double gm, gs, sm, ss;
    nn_mean_std(greedy, S, &gm, &gs);
    nn_mean_std(scratch, S, &sm, &ss);
    char cap[240];
    snprintf(cap, sizeof cap, "(a) %d sigmoid hidden layers, %d epochs in all: test accuracy after each greedy stage, after "
             "fine-tuning, and from scratch (mean over %d seeds)", K, total, S);
    const char *cols[] = {"net", "epochs", "test accuracy (%)"};
    cJSON *ta = nn_exp_table(&e, cap, 3, cols);
    double stage_mean[NN_MAX_HIDDEN];
    for (int k = 0; k < K; k++) {
        double m, sd;
        nn_mean_std(stage_acc[k], S, &m, &sd);
        stage_mean[k] = m;
        char nm[48];
        snprintf(nm, sizeof nm, "greedy, after stage %d (%d hidden)", k + 1, k + 1);
        nn_exp_row(ta, "sin", nm, (k + 1) * s.stage_epochs, m);
    }
    nn_exp_row(ta, "sin", "greedy, fine-tuned", total, gm);
    nn_exp_row(ta, "sin", "from scratch", total, sm);
    cJSON *ga = cJSON_AddObjectToObject(e.summary, "greedy");
    cJSON_AddItemToObject(ga, "stage_test_acc", nn_json_series(stage_mean, K));
    cJSON_AddItemToObject(ga, "finetuned_test_acc", nn_json_num(gm));
    cJSON_AddItemToObject(ga, "scratch_test_acc", nn_json_num(sm));
    cJSON_AddNumberToObject(ga, "total_epochs", total);
    nn_exp_say(&e, "(a) greedy + fine-tune %.2f %%, scratch %.2f %% (%d epochs each)", gm, sm, total);

    /* (b) transfer */
    nn_split fd;
    nn_data_opts dopts = {.seed = (uint64_t)s.common.seed};
    const nn_split *src = &e.data;
    if (strcmp(s.transfer_data, s.common.data) != 0) {
        if (nn_data_load(s.transfer_data, &dopts, &fd) != 0) return nn_exp_fail(&e, 1, "%s", nn_error());
        src = &fd;
    }
    if (src->train.n_classes < 10) return nn_exp_fail(&e, 2, "'transfer_data' needs 10 classes");
    cJSON_AddItemToObject(e.summary, "transfer_dataset", nn_results_dataset(src));
    nn_dataset s_train, s_test, t_train, t_test;
    nn_dataset_select_classes(&src->train, 0, 4, 0, &s_train);
    nn_dataset_select_classes(&src->test, 0, 4, 0, &s_test);
    nn_dataset_select_classes(&src->train, 5, 9, s.target_per_class, &t_train);
    nn_dataset_select_classes(&src->test, 5, 9, 0, &t_test);
    nn_mlp_spec tsp = full;
    tsp.n_output = 5;
    tsp.n_hidden = s.n_transfer_hidden;
    for (int l = 0; l < tsp.n_hidden; l++) tsp.hidden[l] = s.transfer_hidden[l], tsp.act[l] = full.act[0];
    int tbatch = nn_min_i(s.net.batch, t_train.n);
    double tr[100], sc[100], srcacc[100];
    for (int r = 0; r < S; r++) {
        uint64_t seed = (uint64_t)(s.common.seed + r);
        nn_history h;
        char label[96];
        nn_net *source = nn_mlp_build(&tsp, s.net.batch, seed * 100 + 50);
        snprintf(label, sizeof label, "source task seed %llu", (unsigned long long)seed);
        srcacc[r] = train_net(source, &opt, &s_train, &s_test, s.source_epochs, s.net.batch, seed, NULL, label, &h);
        nn_exp_add_run(&e, "transfer", "source", seed, &h);
        nn_history_free(&h);
        nn_net *target = nn_mlp_build(&tsp, tbatch, seed * 100 + 51);
        nn_net_copy_params(target, source, "out.");
        snprintf(label, sizeof label, "transferred seed %llu", (unsigned long long)seed);
        tr[r] = train_net(target, &opt, &t_train, &t_test, s.target_epochs, tbatch, seed, NULL, label, &h);
        nn_exp_add_run(&e, "transfer", "transferred", seed, &h);
        nn_history_free(&h);
        nn_net *alone = nn_mlp_build(&tsp, tbatch, seed * 100 + 51);
        snprintf(label, sizeof label, "target from scratch seed %llu", (unsigned long long)seed);
        sc[r] = train_net(alone, &opt, &t_train, &t_test, s.target_epochs, tbatch, seed, NULL, label, &h);
        nn_exp_add_run(&e, "transfer", "target-scratch", seed, &h);
        nn_history_free(&h);
        nn_net_free(source), nn_net_free(target), nn_net_free(alone);
    }
    double tm, tsd, cm, csd, pm, psd;
    nn_mean_std(tr, S, &tm, &tsd);
    nn_mean_std(sc, S, &cm, &csd);
    nn_mean_std(srcacc, S, &pm, &psd);
    snprintf(cap, sizeof cap, "(b) %s: source classes 0-4 (%d training images), target classes 5-9 with %d labelled images "
             "(%d per class); test accuracy on each task's test images (mean ± std over %d seeds)",
             src->name, s_train.n, t_train.n, s.target_per_class, S);
    const char *cols2[] = {"net", "trained on", "test accuracy (%)", "std"};
    cJSON *tb = nn_exp_table(&e, cap, 4, cols2);
    nn_exp_row(tb, "ssnn", "source net", "source task", pm, psd);
    nn_exp_row(tb, "ssnn", "transferred hidden layers", "few target labels", tm, tsd);
    nn_exp_row(tb, "ssnn", "from scratch", "few target labels", cm, csd);
    cJSON *tt = cJSON_AddObjectToObject(e.summary, "transfer");
    cJSON_AddItemToObject(tt, "transferred_test_acc", nn_json_num(tm));
    cJSON_AddItemToObject(tt, "scratch_test_acc", nn_json_num(cm));
    cJSON_AddItemToObject(tt, "source_test_acc", nn_json_num(pm));
    cJSON_AddNumberToObject(tt, "target_train", t_train.n);
    nn_exp_say(&e, "(b) transferred %.2f %%, scratch %.2f %% on %d target labels", tm, cm, t_train.n);
    nn_dataset_free(&s_train), nn_dataset_free(&s_test), nn_dataset_free(&t_train), nn_dataset_free(&t_test);
    if (src == &fd) nn_split_free(&fd);

    {
        nn_claim c = {.id = "greedy-beats-scratch",
                      .statement = "Greedy supervised layer-wise pre-training followed by fine-tuning gives the deep sigmoid net a "
                                   "higher test accuracy than training it from scratch for the same number of epochs",
                      .source = "seed 002 (greedy supervised pre-training)",
                      .quantity = "test accuracy, greedy minus scratch (means over seeds), points", .op = ">", .threshold = 0,
                      .rule_note = "Judged on the means over seeds. A scratch net stuck at chance is the lecture's other point "
                                   "(deep sigmoid nets are hard to train from scratch), not a fair baseline."};
        nn_exp_require_trained(&e, &c, "the net trained from scratch leaves chance (mean test accuracy, %)", sm);
        nn_exp_claim_once(&e, &c, gm - sm);
        nn_claim t2 = {.id = "transfer-beats-scratch",
                       .statement = "With few labelled examples, hidden layers pre-trained on other classes beat training from scratch",
                       .source = "seed 002 (transfer learning)",
                       .quantity = "target test accuracy, transferred minus scratch (means over seeds), points", .op = ">",
                       .threshold = 0, .rule_note = "Judged on the means over seeds."};
        nn_exp_claim_once(&e, &t2, tm - cm);
    }
    return nn_exp_finish(&e);
}
