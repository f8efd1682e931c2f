/* nn_netcfg.c — shared network/training settings (see nn_netcfg.h). */
#include "nn_netcfg.h"

#include <string.h>

void nn_netcfg_defaults(nn_netcfg *c)
{
    memset(c, 0, sizeof *c);
    c->hidden[0] = 30;
    c->n_hidden = 1;
    snprintf(c->activation[0], NN_STR, "sigmoid");
    c->n_activation = 1;
    snprintf(c->output, NN_STR, "softmax");
    snprintf(c->loss, NN_STR, "softmax_ce");
    snprintf(c->init, NN_STR, "normal_fanin");
    c->init_scale = 1.0;
    snprintf(c->bias_init, NN_STR, "normal");
    c->bias_scale = 1.0;
    c->bn_eps = 1e-5;
    c->bn_momentum = 0.1;
    c->head_alpha = 0.3;
    snprintf(c->optimizer, NN_STR, "sgd");
    c->lr = 0.1;
    c->momentum = 0.9;
    snprintf(c->lr_schedule, NN_STR, "constant");
    c->lr_step = 10;
    c->lr_gamma = 0.1;
    c->batch = 10;
    c->epochs = 10;
}

int nn_netcfg_fields(nn_netcfg *c, nn_cfg_field *o)
{
    int n = 0;
#define F(...) (o[n++] = (nn_cfg_field){__VA_ARGS__})
    F("hidden", NN_CFG_INT_LIST, c->hidden, 1, 100000, NULL, &c->n_hidden, NN_MAX_HIDDEN, 0,
      "hidden layer widths, input side first ([] = no hidden layer)");
    F("activation", NN_CFG_STR_LIST, c->activation, 0, 0, nn_act_hidden_names, &c->n_activation, NN_MAX_HIDDEN, 1,
      "hidden activation: one for all layers or one per layer");
    F("output", NN_CFG_STR, c->output, 0, 0, nn_act_names, NULL, 0, 0, "output activation");
    F("loss", NN_CFG_STR, c->loss, 0, 0, nn_loss_names, NULL, 0, 0,
      "quadratic, logloss (sigmoid output), softmax_ce (softmax output)");
    F("init", NN_CFG_STR, c->init, 0, 0, nn_init_names, NULL, 0, 0, "weight init scheme");
    F("init_scale", NN_CFG_REAL, &c->init_scale, 0, 1e6, NULL, NULL, 0, 0,
      "σ for normal, r for uniform, c for const, a gain for the fan-based schemes");
    F("bias_init", NN_CFG_STR, c->bias_init, 0, 0, nn_init_names, NULL, 0, 0, "bias init scheme");
    F("bias_scale", NN_CFG_REAL, &c->bias_scale, -1e6, 1e6, NULL, NULL, 0, 0,
      "bias init scale (the value itself for const; may be negative)");
    F("batchnorm", NN_CFG_BOOL, &c->batchnorm, 0, 1, NULL, NULL, 0, 0, "batch norm before each hidden activation");
    F("bn_eps", NN_CFG_REAL, &c->bn_eps, 1e-12, 1, NULL, NULL, 0, 0, "batch norm ε");
    F("bn_momentum", NN_CFG_REAL, &c->bn_momentum, 0, 1, NULL, NULL, 0, 0, "weight of a new batch in the running averages");
    F("dropout", NN_CFG_REAL, &c->dropout, 0, 0.99, NULL, NULL, 0, 0, "probability of dropping a hidden unit (inverted dropout)");
    F("residual", NN_CFG_BOOL, &c->residual, 0, 1, NULL, NULL, 0, 0, "skip connections between hidden layers of equal width");
    F("heads", NN_CFG_INT_LIST, c->heads, 1, NN_MAX_HIDDEN, NULL, &c->n_heads, NN_MAX_OUTPUTS - 1, 0,
      "hidden layers (1-based) with an auxiliary classifier head");
    F("head_alpha", NN_CFG_REAL, &c->head_alpha, 0, 100, NULL, NULL, 0, 0, "weight α of each head's loss");
    F("optimizer", NN_CFG_STR, c->optimizer, 0, 0, nn_opt_names, NULL, 0, 0, "sgd, momentum, nesterov or adam");
    F("lr", NN_CFG_REAL, &c->lr, 1e-9, 1e4, NULL, NULL, 0, 0, "learning rate ε");
    F("momentum", NN_CFG_REAL, &c->momentum, 0, 0.9999, NULL, NULL, 0, 0, "momentum α (momentum, nesterov)");
    F("l2", NN_CFG_REAL, &c->l2, 0, 1e4, NULL, NULL, 0, 0, "L2 weight decay λ: penalty (λ/2)‖w‖² on weights");
    F("clip_norm", NN_CFG_REAL, &c->clip_norm, 0, 1e12, NULL, NULL, 0, 0, "clip the global gradient norm (0 = off)");
    F("clip_value", NN_CFG_REAL, &c->clip_value, 0, 1e12, NULL, NULL, 0, 0, "clip each gradient component (0 = off)");
    F("lr_schedule", NN_CFG_STR, c->lr_schedule, 0, 0, nn_sched_names, NULL, 0, 0, "constant or step");
    F("lr_step", NN_CFG_INT, &c->lr_step, 1, 1e6, NULL, NULL, 0, 0, "step schedule: epochs per decay");
    F("lr_gamma", NN_CFG_REAL, &c->lr_gamma, 1e-6, 1, NULL, NULL, 0, 0, "step schedule: factor per decay");
    F("batch", NN_CFG_INT, &c->batch, 1, 1000000, NULL, NULL, 0, 0, "mini-batch size");
    F("epochs", NN_CFG_INT, &c->epochs, 1, 100000, NULL, NULL, 0, 0, "training epochs");
#undef F
    return n;
}

int nn_netcfg_fields_except(nn_netcfg *c, nn_cfg_field *out, const nn_cfg_refusal *except, nn_cfg_refusal *refused,
                            int *n_refused)
{
    nn_netcfg neutral;
    nn_netcfg_defaults(&neutral);
    nn_cfg_field all[40], nall[40];
    int n_all = nn_netcfg_fields(c, all), n = 0;
    nn_netcfg_fields(&neutral, nall);
    for (int i = 0; i < n_all; i++) {
        const nn_cfg_refusal *x = except;
        while (x && x->key && strcmp(x->key, all[i].key) != 0) x++;
        if (!x || !x->key) {
            out[n++] = all[i];
            continue;
        }
        refused[(*n_refused)++] = *x;
        size_t size = all[i].type == NN_CFG_STR ? NN_STR
                      : all[i].type == NN_CFG_REAL ? sizeof(double)
                      : all[i].type == NN_CFG_INT_LIST ? sizeof(int) * (size_t)all[i].max_len
                      : all[i].type == NN_CFG_REAL_LIST ? sizeof(double) * (size_t)all[i].max_len
                      : all[i].type == NN_CFG_STR_LIST ? (size_t)NN_STR * (size_t)all[i].max_len
                                                        : sizeof(int);
        memcpy(all[i].ptr, nall[i].ptr, size);
        if (all[i].len) *all[i].len = *nall[i].len;
    }
    return n;
}

static void drop(cJSON *o, const char *key) { cJSON_DeleteItemFromObjectCaseSensitive(o, key); }

void nn_netcfg_prune_json(cJSON *o)
{
    const char *opt = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "optimizer"));
    if (opt && strcmp(opt, "sgd") == 0) drop(o, "momentum");
    const char *sch = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "lr_schedule"));
    if (sch && strcmp(sch, "constant") == 0) drop(o, "lr_step"), drop(o, "lr_gamma");
    if (cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(o, "batchnorm"))) drop(o, "bn_eps"), drop(o, "bn_momentum");
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(o, "heads");
    if (h && cJSON_GetArraySize(h) == 0) drop(o, "head_alpha");
}

int nn_netcfg_spec(const nn_netcfg *c, int n_input, int n_output, nn_mlp_spec *s)
{
    memset(s, 0, sizeof *s);
    s->n_input = n_input;
    s->n_output = n_output;
    s->n_hidden = c->n_hidden;
    if (c->n_activation != 1 && c->n_activation != c->n_hidden)
        return nn_fail("'activation' lists %d names for %d hidden layers (give one, or one per layer)", c->n_activation,
                       c->n_hidden);
    for (int k = 0; k < c->n_hidden; k++) {
        s->hidden[k] = c->hidden[k];
        if (nn_act_parse(c->activation[c->n_activation == 1 ? 0 : k], &s->act[k])) return -1;
        if (s->act[k] == NN_SOFTMAX) return nn_fail("'activation': softmax is an output activation, not a hidden one");
    }
    if (nn_act_parse(c->output, &s->out_act) || nn_loss_parse(c->loss, &s->loss)) return -1;
    nn_init_kind k;
    if (nn_init_parse(c->init, &k)) return -1;
    s->w_init = (nn_init){k, c->init_scale};
    if (nn_init_parse(c->bias_init, &k)) return -1;
    s->b_init = (nn_init){k, c->bias_scale};
    s->batchnorm = c->batchnorm;
    s->bn_eps = c->bn_eps;
    s->bn_momentum = c->bn_momentum;
    s->dropout = c->dropout;
    s->residual = c->residual;
    s->n_heads = c->n_heads;
    for (int h = 0; h < c->n_heads; h++) {
        if (c->heads[h] > c->n_hidden)
            return nn_fail("'heads' attaches a head to hidden layer %d, but 'hidden' has %d layer%s", c->heads[h],
                           c->n_hidden, c->n_hidden == 1 ? "" : "s");
        s->head_at[h] = c->heads[h];
    }
    s->head_alpha = c->head_alpha;
    nn_act need = nn_loss_fused_act(s->loss);
    if (need != NN_ACT_COUNT && need != s->out_act)
        return nn_fail("'loss' %s needs 'output' %s, not %s", c->loss, nn_act_name(need), c->output);
    return 0;
}

int nn_netcfg_optim(const nn_netcfg *c, nn_optim *o)
{
    memset(o, 0, sizeof *o);
    if (nn_opt_parse(c->optimizer, &o->kind) || nn_sched_parse(c->lr_schedule, &o->sched)) return -1;
    o->lr = c->lr;
    o->momentum = c->optimizer[0] == 's' ? 0 : c->momentum;
    o->l2 = c->l2;
    o->clip_norm = c->clip_norm;
    o->clip_value = c->clip_value;
    o->step_epochs = c->lr_step;
    o->gamma = c->lr_gamma;
    return 0;
}
