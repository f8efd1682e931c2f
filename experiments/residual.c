/* residual — plain against residual deep nets (seed 003: deeper plain nets degrade).
 *
 * He et al. observed that beyond some depth a plain network's *training* error gets worse
 * as layers are added — not overfitting, an optimization failure — even with batch norm.
 * A residual block lets each layer learn a correction to its input instead of a whole new
 * function. The library builds a one-layer pre-activation block (lib/nn_net.c, after He et
 * al.'s "identity mappings" paper, whose branch has two such stages):
 * h_k = h_{k−1} + W·ReLU(BN(h_{k−1})), so the identity is the default and the backward pass
 * has a path around every block: ∂h_k/∂h_{k−1} = I + ∂F/∂h. After the last block one more
 * BN and ReLU precede the output layer.
 * The conditions are {plain, residual} × depths (hidden layers of equal width); each cell trains
 * one net for the same budget and measures its training loss at the end, over the whole
 * training set, and its test accuracy.
 *
 * Settings: experiments/residual.json (every key: bin/residual --help).
 */
#include <math.h>

#include "nnlab.h"

typedef struct settings {
    nn_exp_common common;
    nn_netcfg net;
    int depths[16], n_depths;
    int width;
    int depth, residual; /* a condition's: its number of hidden layers, and whether its blocks are residual */
} settings;

/* network keys the program sets itself */
static const nn_cfg_refusal not_honoured[] = {{"hidden", "the program builds its nets from 'depths' and 'width'"},
                                              {"residual", "the program builds both plain and residual nets"},
                                              {NULL, NULL}};

static int fields(void *p, nn_cfg_field *f, nn_cfg_refusal *r, int *n_r)
{
    settings *s = p;
    int n = nn_exp_common_fields(&s->common, f);
    n += nn_netcfg_fields_except(&s->net, f + n, not_honoured, r, n_r);
    f[n++] = (nn_cfg_field){"depths", NN_CFG_INT_LIST, s->depths, 1, NN_MAX_HIDDEN, NULL, &s->n_depths, 16, 2,
                            "numbers of hidden layers to compare (all of width 'width')"};
    f[n++] = (nn_cfg_field){"width", NN_CFG_INT, &s->width, 1, 100000, NULL, NULL, 0, 0, "units per hidden layer"};
    return n;
}

static const nn_exp_def def = {"residual", "Plain against residual deep nets: training loss after a fixed budget, per depth.",
                               NN_EXP_BUILTIN_CONFIG, sizeof(settings), fields};

typedef struct shared {
    nn_mlp_spec base; /* a template of one hidden layer: the condition sets the depth and the kind */
    nn_optim opt;
} shared;

static int cell(nn_exp *e, const nn_cell *c, void *ctx)
{
    const settings *s = c->set;
    const shared *sh = ctx;
    nn_mlp_spec sp = sh->base;
    sp.n_hidden = s->depth;
    for (int l = 0; l < sp.n_hidden; l++) sp.hidden[l] = s->width, sp.act[l] = sh->base.act[0];
    sp.residual = s->residual;
    nn_history h;
    nn_train_cfg tc = {.epochs = s->net.epochs, .batch = s->net.batch};
    nn_net *net = nn_cell_train(e, c, &sp, &sh->opt, tc, &h);
    /* the training loss the net ends with, over the whole training set (test-time mode) */
    double tl = NAN;
    if (!h.diverged) nn_evaluate(net, &e->data.train, 0, NN_EVAL, &tl, NULL);
    nn_measure(e, c, "train_loss", tl);
    nn_measure(e, c, "test_acc", 100 * nn_exp_final(&h, offsetof(nn_epoch, test_acc)));
    nn_history_free(&h);
    nn_net_free(net);
    return 0;
}

static int run(nn_exp *e, void *set)
{
    settings *s = set;
    int rc;
    shared sh;
    s->net.hidden[0] = s->width, s->net.n_hidden = 1;
    if ((rc = nn_exp_netcfg(e, &s->net, &sh.base, &sh.opt))) return rc;
    const char *kinds[2] = {"plain", "residual"};
    for (s->residual = 0; s->residual < 2; s->residual++)
        for (int d = 0; d < s->n_depths; d++) {
            s->depth = s->depths[d];
            nn_grid_condition(e, nn_exp_str(e, "%s-%d", kinds[s->residual], s->depth),
                              nn_exp_str(e, "%s, %d hidden layers", kinds[s->residual], s->depth), s, kinds[s->residual],
                              s->depth);
        }
    if ((rc = nn_grid_run(e, cell, &sh)) >= 0) return rc;

    const char *measures[] = {"train_loss", "test_acc"}, *heads[] = {"training loss", "test accuracy (%)"};
    const int digits[] = {4, 2};
    nn_grid_table(e, nn_exp_str(e, "Training loss after %d epochs (whole training set) and test accuracy, mean ± std over "
                                     "%d seeds; width %d, ReLU%s", s->net.epochs, e->S, s->width,
                                 s->net.batchnorm ? " + batch norm" : ""),
                  2, measures, heads, digits);
    /* the claims (plain-degrades, residual-does-not) are declared in experiments/residual.json */
    return -1;
}

int main(int argc, char **argv) { return nn_exp_main(&def, run, argc, argv); }
