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
 * diverges ends that seed's greedy run (its record says so) and the seed gives no measurement.
 * (b) Transfer learning, as seed 002 states it: a convolutional net (`transfer_layers`, Caffe's
 * LeNet by default) is trained on five Fashion-MNIST classes with plenty of labels; a net of
 * the same shape for the other five classes, which has only a few labelled examples per class,
 * starts from the first `transfer_k` layers of the first net (its other layers drawn afresh),
 * and all its layers are trained together; against the same net trained from scratch on those
 * few examples. The transfer nets have their own solver (momentum, `transfer_lr`, `transfer_batch`).
 *
 * Conditions: each trains one net per seed and measures its final test accuracy, test_acc (%). Per arm, in
 * this order: its greedy stages "greedy-stage-k[ARM]" (group greedy, k = 1 … K; stage k continues the seed's
 * net of stage k − 1), "greedy-top-only[ARM]" (the control: the last stage's net, `finetune_epochs` more with
 * its lower layers still frozen), "greedy-finetune[ARM]" (that net with every layer trained; with no
 * fine-tuning, the last stage's accuracy) and "scratch[ARM]", x the epochs each net has trained in all. Then
 * (b), group transfer, x the training images of its task: "source", "transferred" (labelled with the layers
 * it receives from the seed's source net), "target-scratch"; "also_datasets" describes the transfer data.
 *
 * Settings: experiments/pretraining.json (every key: bin/pretraining --help); so are the claims (greedy-beats-scratch,
 * greedy-acceptable and finetune-improves per arm, transfer-beats-scratch), which the frame judges from the measures and
 * the numbers derived below; only scratch-stalls, made for the sigmoid arms alone, is judged here.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nnlab.h"

enum { STAGE, TOP_ONLY, FINETUNE, SCRATCH, SOURCE, TRANSFERRED, TARGET_SCRATCH }; /* what a condition trains */

typedef struct settings {
    nn_exp_common common;
    nn_netcfg net;
    int stage_epochs, finetune_epochs;
    char transfer_data[NN_STR];
    int source_epochs, target_per_class, target_epochs;
    const cJSON *transfer_layers;
    int transfer_k, source_per_class, target_test_per_class, transfer_batch;
    double transfer_lr;
    int role, stage, last; /* a condition's: what it trains, its greedy stage, its arm's last stage's condition */
    nn_mlp_spec full;      /* its arm's net, */
    nn_optim opt;          /* and its solver (part (b): the transfer nets') */
} settings;

/* zero the gradients of the frozen layers (hidden layers 1 … *user) before the optimizer step */
static int frozen_grads(nn_train_ctx *ctx, void *user)
{
    nn_net *net = ctx->net;
    for (int t = 0; t < net->n_tensors; t++) {
        int k;
        if (sscanf(net->tensors[t].name, "hidden%d.", &k) == 1 && k <= *(const int *)user)
            memset(net->grads + net->tensors[t].offset, 0, net->tensors[t].size * sizeof(nn_real));
    }
    return 0;
}

static const char *const data_names[] = {"mnist", "fashion", NULL};

/* network keys the program sets itself */
static const nn_cfg_refusal not_honoured[] = {
    {"epochs", "the stages take 'stage_epochs', 'finetune_epochs', 'source_epochs' and 'target_epochs'"}, {NULL, NULL}};

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
    f[n++] = (nn_cfg_field){
        "source_epochs", NN_CFG_INT, &s->source_epochs, 1, 10000, NULL, NULL, 0, 0, "(b) epochs on the source task"};
    f[n++] = (nn_cfg_field){"target_test_per_class", NN_CFG_INT, &s->target_test_per_class, 0, 100000, NULL, NULL, 0, 0,
                            "(b) test images per class of each task (0 = all)"};
    f[n++] = (nn_cfg_field){"target_per_class", NN_CFG_INT, &s->target_per_class, 1, 100000, NULL, NULL, 0, 0,
                            "(b) labelled training examples per target class"};
    f[n++] = (nn_cfg_field){"target_epochs", NN_CFG_INT, &s->target_epochs, 1, 100000, NULL, NULL, 0, 0,
                            "(b) epochs on the few target examples (both nets)"};
    return n;
}

static const nn_exp_def def = {"pretraining",
                               "Greedy supervised layer-wise pre-training; transfer to new classes with few labels.",
                               NN_EXP_BUILTIN_CONFIG, sizeof(settings), fields};

typedef struct shared {
    nn_net **net;      /* per seed: its greedy net so far (stage 1 … fine-tuning), then its source net */
    nn_dataset d[4];   /* (b): source training, source test, target training, target test */
    int *copy, tbatch; /* the transfer nets' layers that the target net receives (transfer_k); its mini-batch */
} shared;

/* Train the cell's net on (train, test) from a fresh copy of opt, hidden layers 1 … *below frozen (NULL: none); record
 * its history and final test accuracy (%). Returns whether it diverged. */
static int train(nn_exp *e, const nn_cell *c, nn_net *net, const nn_optim *opt, const nn_dataset *train, const nn_dataset *test,
                 int epochs, int batch, int *below)
{
    nn_optim o = *opt;
    o.v = NULL;
    nn_optim_init(&o, net);
    nn_train_cfg tc = {.epochs = epochs,
                       .batch = batch,
                       .seed = c->seed,
                       .before_update = below ? frozen_grads : NULL,
                       .user = below,
                       .label = nn_exp_str(e, "%s seed %llu", c->name, (unsigned long long)c->seed),
                       .progress = 1};
    nn_history h;
    nn_exp_train(net, &o, train, test, &tc, &h);
    nn_optim_free(&o);
    nn_measure_history(e, c, &h);
    nn_measure(e, c, "test_acc", 100 * nn_exp_final(&h, offsetof(nn_epoch, test_acc)));
    const int diverged = h.diverged;
    nn_history_free(&h);
    return diverged;
}

/* a part (a) condition: what its net is, and the epochs it has trained in all */
static const char *what(nn_exp *e, const settings *s)
{
    const char *w[] = {NULL, "greedy, top layer only (lower layers frozen)", "greedy, fine-tuned", "from scratch"};
    return s->role == STAGE ? nn_exp_str(e, "greedy, after stage %d (%d hidden)", s->stage, s->stage) : w[s->role];
}
static int epochs(const settings *s)
{
    return s->role == STAGE ? s->stage * s->stage_epochs : s->full.n_hidden * s->stage_epochs + s->finetune_epochs;
}

/* per seed, condition ab[0]'s test accuracy minus condition ab[1]'s (ab[1] < 0: minus chance), points */
static double minus(nn_exp *e, int r, void *ctx)
{
    const int *ab = ctx;
    return nn_grid_values(e, ab[0], "test_acc")[r] - (ab[1] < 0 ? nn_exp_chance_pct(e) : nn_grid_values(e, ab[1], "test_acc")[r]);
}

static int cell(nn_exp *e, const nn_cell *c, void *ctx)
{
    const settings *s = c->set;
    shared *sh = ctx;
    nn_net **held = &sh->net[c->r], *net;
    int K = s->full.n_hidden, B = s->net.batch, below = s->role == STAGE ? s->stage - 1 : K - 1;
    const nn_dataset *tr = &e->data.train, *te = &e->data.test;
    nn_measure(e, c, "test_acc", NAN); /* a cell whose seed's greedy run has ended trains nothing */
    if (s->role == STAGE && (s->stage == 1 || *held)) {
        nn_mlp_spec sp = s->full;
        sp.n_hidden = s->stage;
        net = nn_exp_build(&sp, B, c->seed * 100 + (uint64_t)s->stage);
        if (*held) nn_net_copy_params(net, *held, "out."); /* the trained layers below; a new top and output */
        nn_net_free(*held);
        if (train(e, c, net, &s->opt, tr, te, s->stage_epochs, B, &below)) {
            nn_exp_say(e, "%s seed %llu diverged; this seed gives no greedy measurement", c->name, (unsigned long long)c->seed);
            nn_net_free(net), net = NULL;
        }
        *held = net;
    } else if (s->role == FINETUNE) {
        if (s->finetune_epochs == 0) nn_measure(e, c, "test_acc", nn_grid_values(e, s->last, "test_acc")[c->r]);
        else if (*held) train(e, c, *held, &s->opt, tr, te, s->finetune_epochs, B, NULL);
        nn_net_free(*held), *held = NULL;
    } else if (s->role == SCRATCH || (s->role == TOP_ONLY && *held && s->finetune_epochs > 0)) {
        const int top = s->role == TOP_ONLY; /* the last stage's net, lower layers frozen; or a new one */
        net = nn_exp_build(&s->full, B, c->seed * 100 + (uint64_t)(top ? K : 99));
        if (top) nn_net_copy_params(net, *held, NULL);
        train(e, c, net, &s->opt, tr, te, top ? s->finetune_epochs : epochs(s), B, top ? &below : NULL);
        nn_net_free(net);
    } else if (s->role >= SOURCE) { /* the source net from seed·100 + 50, both target nets from seed·100 + 51 */
        const int src = s->role == SOURCE, b = src ? s->transfer_batch : sh->tbatch;
        tr = &sh->d[src ? 0 : 2], te = tr + 1;
        if (!(net = nn_exp_arch_net(&s->net, s->transfer_layers, tr, 0, b, c->seed * 100 + (src ? 50 : 51)))) {
            fprintf(stderr, "%s: 'transfer_layers': %s\n", e->cli.prog, nn_error());
            return 2;
        }
        for (int j = 0; s->role == TRANSFERRED && j < s->transfer_k; j++) /* the source net's layers, tensor by tensor */
            for (int t = 0; t < (*held)->n_tensors; t++) {
                const nn_tensor *from = &(*held)->tensors[t];
                if (from->layer != sh->copy[j]) continue;
                const nn_tensor *to = nn_net_tensor(net, from->name); /* same name, same shape */
                memcpy(net->params + to->offset, (*held)->params + from->offset, from->size * sizeof(nn_real));
            }
        if (s->role == TRANSFERRED) nn_net_free(*held), *held = NULL;
        train(e, c, net, &s->opt, tr, te, src ? s->source_epochs : s->target_epochs, b, NULL);
        if (src) *held = net;
        else nn_net_free(net);
    }
    return 0;
}

static int run(nn_exp *e, void *set)
{
    settings *s = set;
    int rc;
    const int S = e->S, A = e->n_arms;
    shared sh = {.copy = nn_exp_alloc(e, (size_t)s->transfer_k, sizeof(int))};
    const char *copied = "", **layer = nn_exp_alloc(e, (size_t)s->transfer_k, sizeof(char *)); /* their names */
    { /* part (b)'s net and its transfer_k, checked before anything trains: its layers with parameters (conv, dense) before
       * its output layer, the last of them */
        nn_net *probe = nn_exp_arch_net(&s->net, s->transfer_layers, &e->data.train, 0, 1, 1);
        if (!probe) return nn_exp_fail(e, 2, "'transfer_layers': %s", nn_error());
        int n = -1;
        for (int i = 0; i < probe->n_layers; i++) {
            const nn_layer *L = &probe->layers[i];
            if (L->head < 0 && (L->kind == NN_L_CONV || L->kind == NN_L_DENSE) && ++n < s->transfer_k)
                sh.copy[n] = i, layer[n] = nn_exp_str(e, "%s", L->name),
                copied = nn_exp_str(e, "%s%s%s", copied, n ? ", " : "", L->name);
        }
        nn_net_free(probe);
        if ((n = n > 0 ? n : 0) < s->transfer_k)
            return nn_exp_fail(e, 2, "'transfer_k' = %d, but 'transfer_layers' has %d layer%s with parameters (conv, dense) "
                                      "before the output layer", s->transfer_k, n, n == 1 ? "" : "s");
    }

    /* (a) per arm: its greedy stages, the control, the fine-tuned net, the net from scratch */
    const char *name[] = {"greedy-stage-%d[%s]", "greedy-top-only[%s]", "greedy-finetune[%s]", "scratch[%s]"};
    const char *group[] = {"greedy", "top-only", "finetune", "scratch"}, **title = nn_exp_alloc(e, (size_t)A + 1, sizeof *title);
    int *first = nn_exp_alloc(e, (size_t)A + 1, sizeof *first); /* arm a's conditions: first[a] … first[a + 1] − 1 */
    for (int a = 0; a < A; a++) {
        settings as = *(const settings *)e->arm_set[a];
        const char *arm = e->arm_name[a];
        if ((rc = nn_exp_netcfg(e, &as.net, &as.full, &as.opt))) return rc;
        const int K = as.full.n_hidden;
        if (K < 2) return nn_exp_fail(e, 2, "arm '%s': 'hidden' needs at least 2 layers to pre-train greedily", arm);
        title[a] = nn_exp_str(e, "%s: %d x %d %s, %s, %s η = %g", arm, K, as.full.hidden[0], nn_act_name(as.full.act[0]),
                              as.net.init, as.net.optimizer, as.net.lr);
        first[a] = nn_grid_n(e), as.last = first[a] + K - 1;
        for (as.role = STAGE; as.role <= SCRATCH; as.role++)
            for (as.stage = 1; as.stage <= (as.role == STAGE ? K : 1); as.stage++)
                nn_grid_condition(e, as.role ? nn_exp_str(e, name[as.role], arm) : nn_exp_str(e, name[0], as.stage, arm),
                                  nn_exp_str(e, "%s, %s", title[a], what(e, &as)), &as, group[as.role], epochs(&as));
    }
    first[A] = nn_grid_n(e);

    /* (b) the transfer task: classes 0-4 (source) and 5-9 (target) of transfer_data, its own solver */
    if (nn_netcfg_optim(&s->net, &s->opt)) return nn_exp_fail(e, 2, "%s", nn_error());
    s->opt.kind = NN_OPT_MOMENTUM, s->opt.momentum = s->net.momentum, s->opt.lr = s->transfer_lr,
    s->opt.sched = NN_SCHED_CONSTANT;
    nn_split fd;
    const nn_split *src = &e->data;
    if (strcmp(s->transfer_data, s->common.data) != 0) {
        if (nn_data_load(s->transfer_data, &(nn_data_opts){.seed = (uint64_t)s->common.seed}, &fd) != 0)
            return nn_exp_fail(e, 1, "%s", nn_error());
        src = &fd;
    }
    if (src->train.n_classes < 10) {
        if (src == &fd) nn_split_free(&fd);
        return nn_exp_fail(e, 2, "'transfer_data' needs 10 classes");
    }
    const char *src_name = nn_exp_str(e, "%s", src->name);
    nn_grid_dataset(e, "transfer", src);
    const int per[4] = {s->source_per_class, s->target_test_per_class, s->target_per_class, s->target_test_per_class};
    for (int k = 0; k < 4; k++)
        nn_dataset_select_classes(k % 2 ? &src->test : &src->train, k < 2 ? 0 : 5, k < 2 ? 4 : 9, per[k], &sh.d[k]);
    if (src == &fd) nn_split_free(&fd);
    /* every part of the transfer task needs images: a small n_train or data without classes 5–9 leaves some empty */
    const char *part_names[4] = {"source training (classes 0–4)", "source test (classes 0–4)", "target training (classes 5–9)",
                                 "target test (classes 5–9)"};
    for (int k = 0; k < 4; k++)
        if (sh.d[k].n == 0) {
            for (int j = 0; j < 4; j++) nn_dataset_free(&sh.d[j]);
            return nn_exp_fail(e, 2, "(b) transfer: the %s set is empty in %s%s; part (b) needs images of all ten classes",
                               part_names[k], src_name, e->common->n_train > 0 ? " (n_train keeps too few images)" : "");
        }
    const int n_src = sh.d[0].n, n_target = sh.d[2].n, n_test = sh.d[3].n, src_c = first[A];
    const char *tname[] = {"source", "transferred", "target-scratch"};
    const char *tlabel[] = {"source net (classes 0-4)", nn_exp_str(e, "transferred %s", copied), "target net from scratch"};
    for (s->role = SOURCE; s->role <= TARGET_SCRATCH; s->role++)
        nn_grid_condition(e, tname[s->role - SOURCE], tlabel[s->role - SOURCE], s, "transfer",
                          s->role == SOURCE ? n_src : n_target);
    sh.tbatch = nn_min_i(s->transfer_batch, n_target), sh.net = nn_calloc((size_t)S, sizeof(nn_net *));
    nn_grid_seedwise(e, "each greedy stage goes on training the seed's net of the stage before");
    rc = nn_grid_run(e, cell, &sh);
    for (int r = 0; r < S; r++) nn_net_free(sh.net[r]);
    for (int k = 0; k < 4; k++) nn_dataset_free(&sh.d[k]);
    free(sh.net);
    if (rc >= 0) return rc;

    const char *cols[] = {"arm", "net", "epochs", "test accuracy (%), mean ± std", "seeds averaged"};
    cJSON *ta =
        nn_exp_table(e,
                     nn_exp_str(e,
                                "(a) Test accuracy after each greedy stage, after fine-tuning, and from scratch for the same "
                                "number of epochs (%d seeds)",
                                S),
                     5, cols);
    for (int a = 0; a < A; a++) {
        for (int i = first[a]; i < first[a + 1]; i++) { /* the table's rows: every net but the control */
            const settings *cs = nn_grid_set(e, i);
            double m, sd;
            const int n = nn_grid_mean_std(e, i, "test_acc", &m, &sd);
            if (cs->role != TOP_ONLY)
                nn_exp_row(ta, "ssisi", title[a], what(e, cs), epochs(cs), nn_exp_str(e, "%.2f ± %.2f", m, sd), n);
        }
        const settings *as = nn_grid_set(e, first[a]);
        const char *arm = e->arm_name[a];
        const int K = as->full.n_hidden, last = first[a] + K - 1, total = epochs(nn_grid_set(e, last + 3));
        /* made only for the sigmoid arms, which a declared claim's for_each cannot pick out */
        if (as->full.act[0] == NN_SIGMOID)
            nn_exp_claim_stalls(
                e, NN_SETUP, nn_exp_str(e, "scratch-stalls[%s]", arm),
                nn_exp_str(e,
                           "The %d-layer sigmoid net (%s, η = %g) trained from scratch for %d epochs stays at chance: "
                           "deep sigmoid nets are hard to train from scratch",
                           K, as->net.init, as->net.lr, total),
                "seed 002 (why greedy pre-training was needed)", nn_grid_values(e, last + 3, "test_acc"));
        /* what the arm's declared claims read beyond the measures: the epochs of its nets, and per seed the last stage's
         * test accuracy above chance and the fine-tuned net's lead over the control (its layers below still frozen) */
        int above[2] = {last, -1}, lead[2] = {last + 2, last + 1};
        nn_grid_derived(e, nn_exp_str(e, "total_epochs[%s]", arm), total);
        nn_grid_per_seed(e, nn_exp_str(e, "greedy_above_chance[%s]", arm), minus, above);
        nn_grid_per_seed(e, nn_exp_str(e, "finetune_minus_top_only[%s]", arm), minus, lead);
    }
    nn_grid_derived(e, "chance", nn_exp_chance_pct(e));

    const char *cols2[] = {"net", "trained on", "test accuracy (%)", "std"};
    cJSON *tb =
        nn_exp_table(e,
                     nn_exp_str(e,
                                "(b) %s: source classes 0-4 (%d training images), target classes 5-9 with %d labelled images "
                                "(%d per class); the target net receives %s; test accuracy on each task's %d test images "
                                "(mean ± std over %d seeds)",
                                src_name, n_src, n_target, s->target_per_class, copied, n_test, S),
                     4, cols2);
    const char *net_names[] = {"source net", tlabel[1], "from scratch"};
    for (int k = 0; k < 3; k++) {
        double m, sd;
        nn_grid_mean_std(e, src_c + k, "test_acc", &m, &sd);
        nn_exp_row(tb, "ssnn", net_names[k], k ? "few target labels" : "source task", m, sd);
    }
    /* the layers transfer-beats-scratch names; its control's threshold (30 %) is chance on the 5 target classes plus the
     * margin a trained net clears */
    nn_grid_derived_names(e, "transferred_layers", s->transfer_k, layer);
    return -1;
}

int main(int argc, char **argv) { return nn_exp_main(&def, run, argc, argv); }
