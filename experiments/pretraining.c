/* pretraining — greedy supervised layer-wise pre-training and transfer learning (seed 002).
 *
 * (a) Greedy supervised pre-training: train a net with one hidden layer; then put a new
 * hidden layer (and a new output layer) on top of the trained one and train again with the
 * layers below frozen; and so on up to the full depth; finally fine-tune every layer. Each
 * stage is a shallow problem, so every layer is trained while it is close to an output.
 * The same deep sigmoid net trained from scratch for the same total number of epochs is
 * the baseline.
 * The arms (config "arms") are the nets of part (a): the lecture's deep sigmoid net, which
 * from scratch stays at chance (that failure is a claim of its own), and a ReLU net that
 * trains from scratch, where the comparison with greedy pre-training is fair. A stage that
 * diverges ends that seed's greedy run; it is recorded and the seed gives no measurement.
 * (b) Transfer learning, as seed 002 states it: a convolutional net (`transfer_layers`, Caffe's
 * LeNet by default) is trained on five Fashion-MNIST classes with plenty of labels; a net of
 * the same shape for the other five classes, which has only a few labelled examples per class,
 * starts from the first `transfer_k` layers of the first net (its other layers drawn afresh),
 * and all its layers are trained together; against the same net trained from scratch on those
 * few examples. The transfer nets have their own solver (momentum, `transfer_lr`, `transfer_batch`).
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
    const cJSON *transfer_layers;
    int transfer_k, source_per_class, target_test_per_class, transfer_batch;
    double transfer_lr;
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
    nn_exp_train(net, &o, train, test, &tc, h);
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
    f[n++] = (nn_cfg_field){"transfer_layers", NN_CFG_JSON, (void *)&s->transfer_layers, 0, 0, NULL, NULL, 0, 0,
                            "(b) the transfer nets' layers (conv, pool, dense, act, …; output appended)"};
    f[n++] = (nn_cfg_field){"transfer_k", NN_CFG_INT, &s->transfer_k, 1, 64, NULL, NULL, 0, 0,
                            "(b) how many of the first layers with parameters (conv, dense) the target net receives"};
    f[n++] = (nn_cfg_field){"transfer_lr", NN_CFG_REAL, &s->transfer_lr, 1e-9, 1e4, NULL, NULL, 0, 0,
                            "(b) learning rate of the transfer nets (momentum 'momentum', L2 'l2')"};
    f[n++] = (nn_cfg_field){"transfer_batch", NN_CFG_INT, &s->transfer_batch, 1, 100000, NULL, NULL, 0, 0,
                            "(b) mini-batch size of the transfer nets"};
    f[n++] = (nn_cfg_field){"source_per_class", NN_CFG_INT, &s->source_per_class, 0, 100000, NULL, NULL, 0, 0,
                            "(b) training images per source class (0 = all)"};
    f[n++] = (nn_cfg_field){"source_epochs", NN_CFG_INT, &s->source_epochs, 1, 10000, NULL, NULL, 0, 0, "(b) epochs on the source task"};
    f[n++] = (nn_cfg_field){"target_test_per_class", NN_CFG_INT, &s->target_test_per_class, 0, 100000, NULL, NULL, 0, 0,
                            "(b) test images per class of each task (0 = all)"};
    f[n++] = (nn_cfg_field){"target_per_class", NN_CFG_INT, &s->target_per_class, 1, 100000, NULL, NULL, 0, 0,
                            "(b) labelled training examples per target class"};
    f[n++] = (nn_cfg_field){"target_epochs", NN_CFG_INT, &s->target_epochs, 1, 100000, NULL, NULL, 0, 0,
                            "(b) epochs on the few target examples (both nets)"};
    return n;
}

static const nn_exp_def def = {"pretraining", "Greedy supervised layer-wise pre-training; transfer to new classes with few labels.", NN_EXP_BUILTIN_CONFIG, sizeof(settings), fields};

/* Part (a) for one arm: greedy stages + fine-tuning, and scratch, over the seeds. */
static int greedy_arm(nn_exp *e, const settings *as, const char *arm, cJSON *arms_out, cJSON *table)
{
    nn_mlp_spec full;
    nn_optim opt;
    int rc;
    if ((rc = nn_exp_netcfg(e, &as->net, &full, &opt))) return rc;
    const int S = e->S, K = full.n_hidden;
    if (K < 2) return nn_exp_fail(e, 2, "arm '%s': 'hidden' needs at least 2 layers to pre-train greedily", arm);
    const int total = K * as->stage_epochs + as->finetune_epochs;
    double *greedy = nn_exp_vec(e), *scratch = nn_exp_vec(e);
    double *top_only = nn_exp_vec(e); /* the control: the greedy net trained finetune_epochs more with its lower layers frozen */
    for (int r = 0; r < S; r++) top_only[r] = NAN;
    double **stage_acc = nn_exp_alloc(e, (size_t)K, sizeof(double *));
    for (int k = 0; k < K; k++) stage_acc[k] = nn_exp_vec(e);
    cJSON *failed = cJSON_CreateArray();
    for (int r = 0; r < S; r++) {
        uint64_t seed = (uint64_t)e->seeds[r];
        nn_net *prev = NULL;
        nn_history h;
        int ok = 1;
        for (int k = 1; k <= K && ok; k++) {
            nn_mlp_spec sp = full;
            sp.n_hidden = k;
            nn_net *net = nn_exp_build(&sp, as->net.batch, seed * 100 + (uint64_t)k);
            if (prev) nn_net_copy_params(net, prev, "out."); /* the trained layers below; a new top and output */
            freeze fz = {.below = k - 1};
            stage_acc[k - 1][r] = train_net(net, &opt, &e->data.train, &e->data.test, as->stage_epochs, as->net.batch, seed,
                                            &fz, nn_exp_str(e, "%s greedy stage %d seed %llu", arm, k, (unsigned long long)seed), &h);
            nn_exp_add_run(e, arm, nn_exp_str(e, "%s-greedy-stage-%d", arm, k), seed, &h);
            if (h.diverged) {
                ok = 0;
                cJSON *f = cJSON_CreateObject();
                cJSON_AddNumberToObject(f, "seed", (double)seed);
                cJSON_AddStringToObject(f, "stage", nn_exp_str(e, "greedy stage %d", k));
                cJSON_AddItemToArray(failed, f);
                nn_exp_say(e, "%s seed %llu: greedy stage %d diverged; this seed gives no greedy measurement", arm,
                           (unsigned long long)seed, k);
            }
            nn_history_free(&h);
            nn_net_free(prev);
            prev = net;
        }
        if (ok && as->finetune_epochs > 0) {
            nn_net *cont = nn_exp_build(&full, as->net.batch, seed * 100 + (uint64_t)K);
            nn_net_copy_params(cont, prev, NULL);
            freeze fz = {.below = K - 1};
            top_only[r] = train_net(cont, &opt, &e->data.train, &e->data.test, as->finetune_epochs, as->net.batch, seed, &fz,
                                    nn_exp_str(e, "%s greedy, top layer only, seed %llu", arm, (unsigned long long)seed), &h);
            nn_exp_add_run(e, arm, nn_exp_str(e, "%s-greedy-top-only", arm), seed, &h);
            nn_history_free(&h);
            nn_net_free(cont);
            greedy[r] = train_net(prev, &opt, &e->data.train, &e->data.test, as->finetune_epochs, as->net.batch, seed, NULL,
                                  nn_exp_str(e, "%s greedy fine-tune seed %llu", arm, (unsigned long long)seed), &h);
            nn_exp_add_run(e, arm, nn_exp_str(e, "%s-greedy-finetune", arm), seed, &h);
            if (h.diverged) {
                cJSON *f = cJSON_CreateObject();
                cJSON_AddNumberToObject(f, "seed", (double)seed);
                cJSON_AddStringToObject(f, "stage", "fine-tuning");
                cJSON_AddItemToArray(failed, f);
            }
            nn_history_free(&h);
        } else if (ok) {
            greedy[r] = stage_acc[K - 1][r];
        }
        nn_net_free(prev);
        nn_net *net = nn_exp_build(&full, as->net.batch, seed * 100 + 99);
        scratch[r] = train_net(net, &opt, &e->data.train, &e->data.test, total, as->net.batch, seed, NULL,
                               nn_exp_str(e, "%s scratch seed %llu", arm, (unsigned long long)seed), &h);
        nn_exp_add_run(e, arm, nn_exp_str(e, "%s-scratch", arm), seed, &h);
        nn_history_free(&h);
        nn_net_free(net);
    }
    const char *act = nn_act_name(full.act[0]);
    const char *title = nn_exp_str(e, "%s: %d x %d %s, %s, %s η = %g", arm, K, full.hidden[0], act, as->net.init,
                                   as->net.optimizer, as->net.lr);
    double gm, gs, sm, ss;
    int kg = nn_mean_std_n(greedy, S, &gm, &gs), ks = nn_mean_std_n(scratch, S, &sm, &ss);
    cJSON *ao = cJSON_CreateObject();
    cJSON_AddStringToObject(ao, "name", arm);
    cJSON_AddStringToObject(ao, "title", title);
    cJSON_AddNumberToObject(ao, "total_epochs", total);
    cJSON_AddNumberToObject(ao, "stage_epochs", as->stage_epochs);
    double *stage_mean = nn_exp_alloc(e, (size_t)K, sizeof(double));
    for (int k = 0; k < K; k++) {
        double m, sd;
        int n = nn_mean_std_n(stage_acc[k], S, &m, &sd);
        stage_mean[k] = m;
        nn_exp_row(table, "ssisi", title, nn_exp_str(e, "greedy, after stage %d (%d hidden)", k + 1, k + 1),
                   (k + 1) * as->stage_epochs, nn_exp_str(e, "%.2f ± %.2f", m, sd), n);
    }
    nn_exp_row(table, "ssisi", title, "greedy, fine-tuned", total, nn_exp_str(e, "%.2f ± %.2f", gm, gs), kg);
    nn_exp_row(table, "ssisi", title, "from scratch", total, nn_exp_str(e, "%.2f ± %.2f", sm, ss), ks);
    cJSON_AddItemToObject(ao, "stage_test_acc", nn_json_series(stage_mean, K));
    cJSON_AddItemToObject(ao, "finetuned_test_acc", nn_json_num(gm));
    cJSON_AddItemToObject(ao, "finetuned_seeds_averaged", cJSON_CreateNumber(kg));
    cJSON_AddItemToObject(ao, "scratch_test_acc", nn_json_num(sm));
    cJSON_AddItemToObject(ao, "scratch_seeds_averaged", cJSON_CreateNumber(ks));
    cJSON_AddItemToObject(ao, "failed_stages", failed);
    cJSON_AddItemToArray(arms_out, ao);
    nn_exp_say(e, "(a) %s: greedy + fine-tune %.2f %% (%d of %d seeds), scratch %.2f %% (%d epochs each)", arm, gm, kg, S, sm,
               total);

    if (full.act[0] == NN_SIGMOID)
        nn_exp_claim_stalls(e, NN_SETUP, nn_exp_str(e, "scratch-stalls[%s]", arm),
                            nn_exp_str(e, "The %d-layer sigmoid net (%s, η = %g) trained from scratch for %d epochs stays at "
                                          "chance: deep sigmoid nets are hard to train from scratch", K, as->net.init,
                                       as->net.lr, total),
                            "seed 002 (why greedy pre-training was needed)", scratch);
    nn_claim c = {.kind = NN_LECTURE, .id = nn_exp_str(e, "greedy-beats-scratch[%s]", arm),
                  .statement = nn_exp_str(e, "Greedy supervised layer-wise pre-training followed by fine-tuning gives the "
                                             "%d-layer %s net a higher test accuracy than training it from scratch for the "
                                             "same %d epochs", K, act, total),
                  .source = "seed 002 (greedy supervised pre-training)",
                  .quantity = "test accuracy, greedy minus scratch (same seed), points", .op = ">", .threshold = 0,
                  .rule_note = "A seed whose greedy run diverged gives no measurement."};
    nn_exp_claim_gain(e, &c, greedy, scratch, nn_exp_str(e, "the %s net trained from scratch", act), e->data.test.n);

    /* seed 002: "the greedy solution is acceptable", and fine-tuning every layer together improves it */
    const double chance = nn_exp_chance_pct(e);
    double *last = stage_acc[K - 1], *above = nn_exp_vec(e), *gain = nn_exp_vec(e);
    for (int r = 0; r < S; r++) above[r] = last[r] - chance, gain[r] = greedy[r] - last[r];
    nn_claim ga = {.kind = NN_LECTURE, .id = nn_exp_str(e, "greedy-acceptable[%s]", arm),
                   .statement = nn_exp_str(e, "The greedy solution alone (after the last stage, before fine-tuning) is "
                                              "acceptable: the %d-layer %s net leaves chance", K, act),
                   .source = "seed 002:256-265",
                   .quantity = nn_exp_str(e, "test accuracy after the last greedy stage minus chance (%.3g %%), points", chance),
                   .op = ">", .threshold = NN_EXP_TRAINED_MARGIN,
                   .rule_note = "A seed whose greedy run diverged gives no measurement.",
                   .not_comparative = "one net against chance: the lab reads 'acceptable' as 'trained', a low bar; how far it "
                                      "ends below the net trained end to end is in the table"};
    nn_exp_claim_seeds(e, &ga, above);
    nn_claim ft = {.kind = NN_LECTURE, .id = nn_exp_str(e, "finetune-improves[%s]", arm),
                   .statement = nn_exp_str(e, "Fine-tuning every layer together improves the greedy solution: %d epochs of it "
                                              "raise the %d-layer %s net's test accuracy", as->finetune_epochs, K, act),
                   .source = "seed 002:256-265",
                   .quantity = "test accuracy, fine-tuned − after the last greedy stage (same seed), points", .op = ">",
                   .threshold = 0,
                   .unmeasured = as->finetune_epochs > 0 ? NULL : "finetune_epochs is 0: no fine-tuning ran"};
    nn_exp_require_trained(e, &ft, "the greedy net leaves chance before fine-tuning (lowest over seeds, %)", nn_exp_worst(e, last));
    { /* the skeptic: the gain is that of more epochs, not of training every layer together */
        double *d = nn_exp_vec(e);
        for (int r = 0; r < S; r++) d[r] = greedy[r] - top_only[r];
        nn_claim_control(&ft, "the gain is that of more epochs, not of training every layer together",
                         nn_exp_str(e, "test accuracy fine-tuned − the same %d epochs with the lower layers still frozen, "
                                       "smallest over seeds (points)", as->finetune_epochs), nn_exp_worst(e, d), ">", 0);
    }
    nn_exp_claim_seeds(e, &ft, gain);
    return 0;
}

/* The layers with parameters (conv, dense) of a transfer net before its output layer, which is the last of them;
 * out[] gets their indices. */
static int transferable(const nn_net *net, int *out)
{
    int n = 0;
    for (int i = 0; i < net->n_layers; i++) {
        const nn_layer *L = &net->layers[i];
        if (L->head < 0 && (L->kind == NN_L_CONV || L->kind == NN_L_DENSE)) out[n++] = i;
    }
    return n > 0 ? n - 1 : 0;
}

int main(int argc, char **argv)
{
    settings s = {0};
    nn_exp e;
    int rc = nn_exp_begin(&e, &def, &s, argc, argv);
    if (rc >= 0) return rc;
    const int S = e.S;
    { /* part (b)'s net and its transfer_k, checked before part (a) trains (they were refused after it) */
        nn_net *probe = nn_exp_arch_net(&s.net, s.transfer_layers, &e.data.train, 0, 1, 1);
        if (!probe) return nn_exp_fail(&e, 2, "'transfer_layers': %s", nn_error());
        int *idx = nn_exp_alloc(&e, (size_t)probe->n_layers, sizeof *idx), n = transferable(probe, idx);
        nn_net_free(probe);
        if (n < s.transfer_k)
            return nn_exp_fail(&e, 2, "'transfer_k' = %d, but 'transfer_layers' has %d layer%s with parameters (conv, dense) "
                                      "before the output layer",
                               s.transfer_k, n, n == 1 ? "" : "s");
    }

    /* (a) greedy supervised pre-training against scratch, per arm */
    const char *cols[] = {"arm", "net", "epochs", "test accuracy (%), mean ± std", "seeds averaged"};
    cJSON *ta = nn_exp_table(&e, nn_exp_str(&e, "(a) Test accuracy after each greedy stage, after fine-tuning, and from "
                                                 "scratch for the same number of epochs (%d seeds)", S), 5, cols);
    cJSON *arms_out = cJSON_AddArrayToObject(e.summary, "arms");
    for (int a = 0; a < e.n_arms; a++)
        if ((rc = greedy_arm(&e, e.arm_set[a], e.arm_name[a], arms_out, ta))) return rc;

    /* (b) transfer of the first k layers of a CNN */
    nn_optim opt;
    if (nn_netcfg_optim(&s.net, &opt)) return nn_exp_fail(&e, 2, "%s", nn_error());
    opt.kind = NN_OPT_MOMENTUM, opt.momentum = s.net.momentum, opt.lr = s.transfer_lr, opt.sched = NN_SCHED_CONSTANT;
    nn_split fd;
    nn_data_opts dopts = {.seed = (uint64_t)s.common.seed};
    const nn_split *src = &e.data;
    if (strcmp(s.transfer_data, s.common.data) != 0) {
        if (nn_data_load(s.transfer_data, &dopts, &fd) != 0) return nn_exp_fail(&e, 1, "%s", nn_error());
        src = &fd;
    }
    if (src->train.n_classes < 10) {
        if (src == &fd) nn_split_free(&fd);
        return nn_exp_fail(&e, 2, "'transfer_data' needs 10 classes");
    }
    cJSON_AddItemToObject(e.summary, "transfer_dataset", nn_results_dataset(src));
    nn_dataset s_train, s_test, t_train, t_test;
    nn_dataset_select_classes(&src->train, 0, 4, s.source_per_class, &s_train);
    nn_dataset_select_classes(&src->test, 0, 4, s.target_test_per_class, &s_test);
    nn_dataset_select_classes(&src->train, 5, 9, s.target_per_class, &t_train);
    nn_dataset_select_classes(&src->test, 5, 9, s.target_test_per_class, &t_test);
    /* every part of the transfer task needs images: a small n_train or data without classes 5–9 leaves some empty */
    const nn_dataset *parts[4] = {&s_train, &s_test, &t_train, &t_test};
    const char *part_names[4] = {"source training (classes 0–4)", "source test (classes 0–4)", "target training (classes 5–9)",
                                 "target test (classes 5–9)"};
    for (int k = 0; k < 4; k++)
        if (parts[k]->n == 0) {
            nn_dataset_free(&s_train), nn_dataset_free(&s_test), nn_dataset_free(&t_train), nn_dataset_free(&t_test);
            if (src == &fd) nn_split_free(&fd);
            return nn_exp_fail(&e, 2, "(b) transfer: the %s set is empty in %s%s; part (b) needs images of all ten classes",
                               part_names[k], src->name, e.common->n_train > 0 ? " (n_train keeps too few images)" : "");
        }
    const int tbatch = nn_min_i(s.transfer_batch, t_train.n);
    double *tr = nn_exp_vec(&e), *sc = nn_exp_vec(&e), *srcacc = nn_exp_vec(&e);
    nn_history *htr = nn_exp_alloc(&e, (size_t)S, sizeof *htr), *hsc = nn_exp_alloc(&e, (size_t)S, sizeof *hsc);
    const char *copied = "";
    int n_par = 0;
    for (int r = 0; r < S && !rc; r++) {
        uint64_t seed = (uint64_t)e.seeds[r];
        nn_history h;
        nn_net *source = nn_exp_arch_net(&s.net, s.transfer_layers, &s_train, 0, s.transfer_batch, seed * 100 + 50);
        nn_net *target = source ? nn_exp_arch_net(&s.net, s.transfer_layers, &t_train, 0, tbatch, seed * 100 + 51) : NULL;
        nn_net *alone = target ? nn_exp_arch_net(&s.net, s.transfer_layers, &t_train, 0, tbatch, seed * 100 + 51) : NULL;
        if (!alone) {
            rc = -1;
            nn_net_free(source), nn_net_free(target);
            break;
        }
        srcacc[r] = train_net(source, &opt, &s_train, &s_test, s.source_epochs, s.transfer_batch, seed, NULL,
                              nn_exp_str(&e, "source task seed %llu", (unsigned long long)seed), &h);
        nn_exp_add_run(&e, "transfer", "source", seed, &h);
        nn_history_free(&h);
        /* the first transfer_k layers with parameters, tensor by tensor (same names, same shapes) */
        n_par = 0;
        copied = "";
        int *idx = nn_exp_alloc(&e, (size_t)source->n_layers, sizeof *idx), n_before_out = transferable(source, idx);
        for (int j = 0; j < n_before_out && n_par < s.transfer_k; j++) {
            const int i = idx[j];
            const nn_layer *L = &source->layers[i];
            for (int t = 0; t < source->n_tensors; t++) {
                if (source->tensors[t].layer != i) continue;
                const nn_tensor *from = &source->tensors[t], *to = nn_net_tensor(target, from->name);
                memcpy(target->params + to->offset, source->params + from->offset, from->size * sizeof(nn_real));
            }
            copied = nn_exp_str(&e, "%s%s%s", copied, n_par ? ", " : "", L->name);
            n_par++;
        }
        tr[r] = train_net(target, &opt, &t_train, &t_test, s.target_epochs, tbatch, seed, NULL,
                          nn_exp_str(&e, "transferred seed %llu", (unsigned long long)seed), &htr[r]);
        nn_exp_add_run(&e, "transfer", "transferred", seed, &htr[r]);
        sc[r] = train_net(alone, &opt, &t_train, &t_test, s.target_epochs, tbatch, seed, NULL,
                          nn_exp_str(&e, "target from scratch seed %llu", (unsigned long long)seed), &hsc[r]);
        nn_exp_add_run(&e, "transfer", "target-scratch", seed, &hsc[r]);
        nn_net_free(source), nn_net_free(target), nn_net_free(alone);
    }
    if (rc) {
        nn_dataset_free(&s_train), nn_dataset_free(&s_test), nn_dataset_free(&t_train), nn_dataset_free(&t_test);
        if (src == &fd) nn_split_free(&fd);
        return nn_exp_fail(&e, 2, "'transfer_layers': %s", nn_error());
    }
    if (n_par < s.transfer_k) {
        nn_dataset_free(&s_train), nn_dataset_free(&s_test), nn_dataset_free(&t_train), nn_dataset_free(&t_test);
        if (src == &fd) nn_split_free(&fd);
        return nn_exp_fail(&e, 2, "'transfer_k' = %d, but 'transfer_layers' has %d layers with parameters before the output",
                           s.transfer_k, n_par);
    }
    double tm, tsd, cm, csd, pm, psd;
    nn_mean_std(tr, S, &tm, &tsd);
    nn_mean_std(sc, S, &cm, &csd);
    nn_mean_std(srcacc, S, &pm, &psd);
    const char *cols2[] = {"net", "trained on", "test accuracy (%)", "std"};
    cJSON *tb = nn_exp_table(&e, nn_exp_str(&e, "(b) %s: source classes 0-4 (%d training images), target classes 5-9 with %d "
                                                 "labelled images (%d per class); the target net receives %s; test accuracy "
                                                 "on each task's %d test images (mean ± std over %d seeds)",
                                            src->name, s_train.n, t_train.n, s.target_per_class, copied, t_test.n, S),
                             4, cols2);
    nn_exp_row(tb, "ssnn", "source net", "source task", pm, psd);
    nn_exp_row(tb, "ssnn", nn_exp_str(&e, "transferred %s", copied), "few target labels", tm, tsd);
    nn_exp_row(tb, "ssnn", "from scratch", "few target labels", cm, csd);
    cJSON *tt = cJSON_AddObjectToObject(e.summary, "transfer");
    cJSON_AddStringToObject(tt, "copied", copied);
    cJSON_AddItemToObject(tt, "transferred_test_acc", nn_json_num(tm));
    cJSON_AddItemToObject(tt, "scratch_test_acc", nn_json_num(cm));
    cJSON_AddItemToObject(tt, "source_test_acc", nn_json_num(pm));
    cJSON_AddNumberToObject(tt, "target_train", t_train.n);
    cJSON_AddItemToObject(tt, "transferred_curve", nn_exp_history_mean_std(htr, S, offsetof(nn_epoch, test_acc)));
    cJSON_AddItemToObject(tt, "scratch_curve", nn_exp_history_mean_std(hsc, S, offsetof(nn_epoch, test_acc)));
    for (int r = 0; r < S; r++) nn_history_free(&htr[r]), nn_history_free(&hsc[r]);
    nn_exp_say(&e, "(b) transferred %.2f %%, scratch %.2f %% on %d target labels", tm, cm, t_train.n);
    nn_dataset_free(&s_train), nn_dataset_free(&s_test), nn_dataset_free(&t_train), nn_dataset_free(&t_test);
    if (src == &fd) nn_split_free(&fd);

    double *gain = nn_exp_vec(&e);
    for (int r = 0; r < S; r++) gain[r] = tr[r] - sc[r];
    nn_claim t2 = {.kind = NN_LECTURE, .id = "transfer-beats-scratch",
                   .statement = nn_exp_str(&e, "With few labelled examples (%d per class), a net that starts from the first %d "
                                                   "layers (%s) of a net trained on other classes beats training from scratch",
                                               s.target_per_class, s.transfer_k, copied),
                   .source = "seed 002 (transfer learning)",
                   .quantity = "target test accuracy, transferred minus scratch (same seed), points", .op = ">", .threshold = 0};
    /* chance on the target task is that of its 5 classes */
    nn_claim_control(&t2, "the net compared with did not train",
                     "the target net trained from scratch leaves chance (lowest test accuracy over seeds, %)",
                     nn_exp_worst(&e, sc), ">", 100.0 / 5 + NN_EXP_TRAINED_MARGIN);
    nn_exp_claim_seeds(&e, &t2, gain);
    return nn_exp_finish(&e);
}
